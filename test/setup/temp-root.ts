import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Every temporary file a test makes, and every program it starts, lands in one folder of this
 * run (TMPDIR, which os.tmpdir() reads and the test workers inherit), removed when the run ends:
 * a test that forgets its own folder, or fails before removing it, leaves nothing behind.
 */
export default function setup(): () => void {
  const root = mkdtempSync(path.join(tmpdir(), 'udpchat-tests-'));
  // As /tmp itself: some tests run a program as another user (one that cannot read a file).
  chmodSync(root, 0o1777);
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
