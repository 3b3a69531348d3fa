import type { RouterHost } from '../host/router-host.ts';
import { ImpairmentError } from './impairment-errors.ts';

const ARM_TIMEOUT_MS = 30_000;
const TRIGGER_PCAP = '/tmp/lab-fault-trigger.pcap';

/**
 * Waits on the router for the next datagram from the server's network and then runs `script`;
 * resolves once the router waits. `done` is the script's output after a first line: the
 * datagram's time on the router's clock (the captures' clock), in microseconds, as its capture
 * stamped it.
 *
 * Faults meant to fall inside a download are armed this way before it goes on. Started from the
 * lab while the download runs, they could miss it: the engine starts a command in a container in
 * tens of milliseconds on an idle machine, but took over a second in a parallel run on two cores,
 * longer than the second half of the lab's downloads lasts.
 */
export async function onNextDatagram(router: RouterHost, script = ''): Promise<{ done: Promise<string> }> {
  const { iface, cidr } = router.serverSide;
  const wait = [
    `tcpdump -i ${iface} -Q in -n -c 1 --immediate-mode -w ${TRIGGER_PCAP} 'udp and src net ${cidr}' || exit 1`,
    `tcpdump -r ${TRIGGER_PCAP} -n -tt 2>/dev/null | head -n 1 | cut -d ' ' -f 1 | tr -d .`,
  ];
  const proc = await router.spawn(['sh', '-c', [...wait, script].join('\n')]);
  // tcpdump says "listening on" once its filter is in the kernel: from then on nothing is missed.
  const armed = await proc.stderr.waitFor(/listening on/, ARM_TIMEOUT_MS).then(
    () => true,
    () => false,
  );
  if (!armed) {
    throw new ImpairmentError(`the router could not wait for the next datagram: ${proc.stderr.text().slice(-300)}`);
  }
  const done = proc.exitCode.then((code) => {
    if (code !== 0)
      throw new ImpairmentError(`the router's fault failed (exit ${code}): ${proc.stderr.text().slice(-300)}`);
    return proc.stdout.text();
  });
  // A story that fails before the datagram comes never awaits this; the host's removal ends it.
  done.catch(() => undefined);
  return { done };
}
