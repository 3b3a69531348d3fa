-- udp_chat_lab.lua — a Wireshark dissector for the udp-chat-lab protocol
-- (docs/PROTOCOL.md): the TCP control lines on ports 55000-55015 and the
-- UDP download datagrams `<4-byte big-endian seq><:><up to 2043 bytes>`.
--
-- Install: copy this file into Wireshark's personal Lua plugins folder
-- (Help → About Wireshark → Folders → "Personal Lua Plugins"), then restart
-- Wireshark or press Ctrl+Shift+L. One-off use with tshark:
--   tshark -r capture.pcap -X lua_script:udp_chat_lab.lua -Y udpchat
-- See docs/wireshark/README.md. Works with Wireshark 3.6 and 4.x (Lua 5.2–5.4):
-- it uses no bitwise operators, no integer division and no 4.2+ only API.

local VERSION = "1.0"
local SERVER_PORTS = "55000-55015" -- the server's default --ports
local HEADER = 5                   -- 4-byte seq + ':'
local CHUNK = 2043                 -- file bytes in a full datagram
local FULL = HEADER + CHUNK        -- 2048: a full datagram's UDP payload
local COLON = 0x3a
local INFO_MAX = 96                -- characters of one line shown in the Info column

set_plugin_info({
  version = VERSION,
  description = "udp-chat-lab: TCP control lines and UDP download datagrams",
  author = "udp-chat-lab",
  repository = "docs/wireshark/udp_chat_lab.lua",
})

local udpchat = Proto("udpchat", "UDP chat lab")

-- Control channel (TCP) ------------------------------------------------------
local f = {
  line        = ProtoField.string("udpchat.line", "Line", base.UNICODE),
  to_server   = ProtoField.bool("udpchat.to_server", "Client to server"),
  command     = ProtoField.string("udpchat.command", "Command"),
  name        = ProtoField.string("udpchat.name", "Name", base.UNICODE),
  file        = ProtoField.string("udpchat.file", "File", base.UNICODE),
  from        = ProtoField.string("udpchat.from", "From", base.UNICODE),
  target      = ProtoField.string("udpchat.target", "Target", base.UNICODE),
  text        = ProtoField.string("udpchat.text", "Text", base.UNICODE),
  reason      = ProtoField.string("udpchat.reason", "Reason", base.UNICODE),
  last_byte   = ProtoField.string("udpchat.last_byte", "Last byte of the file"),
  count       = ProtoField.uint32("udpchat.count", "Datagrams in the download (N)", base.DEC),
  udp_port    = ProtoField.uint16("udpchat.udp_port", "Client's UDP port", base.DEC),
  resend_seq  = ProtoField.uint32("udpchat.resend_seq", "Resend seq", base.DEC),
  resend_n    = ProtoField.uint32("udpchat.resend_count", "Seqs asked for", base.DEC),
  -- Download datagrams (UDP)
  seq         = ProtoField.uint32("udpchat.seq", "Seq", base.DEC),
  sep         = ProtoField.uint8("udpchat.separator", "Separator", base.HEX),
  data_len    = ProtoField.uint32("udpchat.data_len", "Data length", base.DEC),
  data        = ProtoField.bytes("udpchat.data", "Data"),
  file_offset = ProtoField.uint64("udpchat.file_offset", "Offset in the file", base.DEC),
  repeat_of   = ProtoField.framenum("udpchat.repeat_of", "Repeats the datagram of frame"),
  is_repeat   = ProtoField.bool("udpchat.repeat", "Repeated seq on this flow (a resend)"),
}
udpchat.fields = {
  f.line, f.to_server, f.command, f.name, f.file, f.from, f.target, f.text, f.reason, f.last_byte,
  f.count, f.udp_port, f.resend_seq, f.resend_n,
  f.seq, f.sep, f.data_len, f.data, f.file_offset, f.repeat_of, f.is_repeat,
}

local e = {
  resend    = ProtoExpert.new("udpchat.resend.expert", "Resend request", expert.group.SEQUENCE, expert.severity.NOTE),
  repeat_dg = ProtoExpert.new("udpchat.repeat.expert", "Datagram sent again (answer to a resend)", expert.group.SEQUENCE, expert.severity.NOTE),
  error     = ProtoExpert.new("udpchat.error.expert", "Server refused a line", expert.group.RESPONSE_CODE, expert.severity.WARN),
  bad_seq   = ProtoExpert.new("udpchat.bad_seq.expert", "Not a seq (a decimal number below 2^32)", expert.group.MALFORMED, expert.severity.ERROR),
  too_long  = ProtoExpert.new("udpchat.too_long.expert", "Datagram longer than 2048 bytes", expert.group.MALFORMED, expert.severity.ERROR),
}
udpchat.experts = { e.resend, e.repeat_dg, e.error, e.bad_seq, e.too_long }

-- Preferences ------------------------------------------------------------------
udpchat.prefs.tcp_ports = Pref.range("Server TCP ports", SERVER_PORTS,
  "The server's control ports (its --ports). Lines towards one of them are client commands.", 65535)
udpchat.prefs.udp_ports = Pref.range("Datagram UDP ports", "",
  "UDP ports always decoded as download datagrams, without the heuristic (either side's port)", 65535)
udpchat.prefs.heuristic = Pref.bool("Find download datagrams heuristically", true,
  "Recognise datagrams on any UDP port pair (see docs/wireshark/README.md for the rules)")

-- Helpers ----------------------------------------------------------------------
local function in_range(range, port)
  -- A Pref.range value is a string such as "55000-55015,56000".
  for part in string.gmatch(tostring(range or ""), "[^,%s]+") do
    local lo, hi = string.match(part, "^(%d+)%-(%d+)$")
    if lo then
      if port >= tonumber(lo) and port <= tonumber(hi) then return true end
    elseif tonumber(part) == port then
      return true
    end
  end
  return false
end

-- Tokens of a line split at '|', each with its byte offset in the line (0-based).
local function split_bars(s)
  local out, start = {}, 1
  while true do
    local bar = string.find(s, "|", start, true)
    if not bar then
      out[#out + 1] = { text = string.sub(s, start), at = start - 1 }
      return out
    end
    out[#out + 1] = { text = string.sub(s, start, bar - 1), at = start - 1 }
    start = bar + 1
  end
end

-- A part of a line: `line` is { tvb = the PDU's Tvb, base = the line's offset in it }.
-- Cut from the Tvb, not from a TvbRange, which refuses an empty range at its own end.
local function sub(line, at, len)
  if len < 0 then len = 0 end
  return line.tvb(line.base + at, len)
end

local function add_str(tree, field, line, at, len)
  local r = sub(line, at, len)
  return tree:add(field, r, len > 0 and r:string(ENC_UTF_8) or "")
end

local function short(s)
  if #s > INFO_MAX then return string.sub(s, 1, INFO_MAX) .. "…" end
  return s
end

local CLIENT_VERBS = {
  connect = true, disconnect = true, get_users = true, get_list_file = true, msg_all = true,
  msg = true, download = true, udp = true, resend = true, proceed = true, stop = true,
}

-- Client → server: `verb` or `verb|args`.
local function dissect_command(t, s, r)
  local tok = split_bars(s)
  local verb = tok[1].text
  if not CLIENT_VERBS[verb] then verb = "other" end
  t:add(f.command, sub(r, 0, #tok[1].text), verb)
  local rest_at = #tok[1].text + 1
  local rest_len = #s - rest_at
  if verb == "connect" and #tok >= 2 then
    add_str(t, f.name, r, rest_at, rest_len)
  elseif verb == "download" and #tok >= 2 then
    add_str(t, f.file, r, rest_at, rest_len)
  elseif verb == "msg_all" and #tok >= 2 then
    add_str(t, f.text, r, rest_at, rest_len)
  elseif verb == "msg" and #tok >= 3 then
    local last = tok[#tok]
    add_str(t, f.text, r, rest_at, last.at - 1 - rest_at)
    add_str(t, f.target, r, last.at, #last.text)
  elseif verb == "udp" and #tok == 2 then
    local port = tonumber(tok[2].text)
    if port and string.match(tok[2].text, "^%d+$") and port <= 65535 then
      t:add(f.udp_port, sub(r, tok[2].at, #tok[2].text), port)
    end
  elseif verb == "resend" then
    local n = 0
    for i = 2, #tok do
      local k = tok[i]
      local v = string.match(k.text, "^%d+$") and tonumber(k.text)
      if v and v <= 4294967295 then
        t:add(f.resend_seq, sub(r, k.at, #k.text), v)
        n = n + 1
      else
        t:add_proto_expert_info(e.bad_seq, "Not a seq: " .. k.text)
      end
    end
    t:add(f.resend_n, sub(r, 0, #s), n):set_generated()
    t:add_proto_expert_info(e.resend, string.format("Resend request for %d %s", n, n == 1 and "seq" or "seqs"))
  end
  return verb
end

-- Server → client: the kinds of docs/PROTOCOL.md, in the order the client's parser tries them.
local function dissect_reply(t, s, r)
  local tok = split_bars(s)
  local function rest(from_at) return from_at, #s - from_at end
  local kind
  if s == "connected" then kind = "connected"
  elseif s == "disconnected" then kind = "disconnected"
  elseif s == "download stopped" then kind = "download_stopped"
  elseif tok[1].text == "users" or tok[1].text == "files" then
    kind = tok[1].text
    for i = 2, #tok do
      add_str(t, kind == "users" and f.name or f.file, r, tok[i].at, #tok[i].text)
    end
  elseif (tok[1].text == "msg_all" or tok[1].text == "msg") and #tok >= 3 then
    kind = tok[1].text
    add_str(t, f.from, r, tok[2].at, #tok[2].text)
    add_str(t, f.text, r, rest(tok[3].at))
  elseif string.match(s, "^|%d+$") then
    kind = "download_start"
    t:add(f.count, sub(r, 1, #s - 1), tonumber(string.sub(s, 2)))
  elseif string.match(s, "^User .+ downloaded 100%% out of file%. Last byte is: ") then
    local user, last = string.match(s, "^User (.+) downloaded 100%% out of file%. Last byte is: (.*)$")
    kind = "download_done"
    add_str(t, f.name, r, 5, #user)
    add_str(t, f.last_byte, r, rest(#s - #last))
  elseif string.sub(s, 1, 15) == "can't connect. " then
    kind = "refused"
    add_str(t, f.reason, r, rest(15))
  elseif string.sub(s, 1, 12) == "can't send. " then
    kind = "cant_send"
    add_str(t, f.reason, r, rest(12))
  elseif string.sub(s, 1, 16) == "Can't download. " then
    kind = "cant_download"
    add_str(t, f.reason, r, rest(16))
  elseif string.sub(s, 1, 6) == "error|" then
    kind = "error"
    add_str(t, f.reason, r, rest(6))
    t:add_proto_expert_info(e.error, "Server error: " .. short(string.sub(s, 7)))
  elseif string.match(s, ". is connected$") or string.match(s, ". is disconnected$") then
    kind = "presence"
    add_str(t, f.name, r, 0, #string.match(s, "^(.+) is %a+$"))
  else
    kind = "other"
  end
  t:add(f.command, sub(r, 0, #s), kind):set_generated()
  return kind
end

-- One call may see several lines; Info lists them all, also when TCP calls us
-- more than once for one frame (pinfo.private lives for one dissection of a frame).
local function info_add(pinfo, text)
  local before = pinfo.private["udpchat_info"]
  local now = before and (before .. "; " .. text) or text
  pinfo.private["udpchat_info"] = now
  pinfo.cols.protocol = "UDPCHAT"
  pinfo.cols.info:clear()
  pinfo.cols.info:set(now)
end

local function dissect_lines(tvb, pinfo, tree)
  local len = tvb:len()
  if len == 0 then return 0 end
  local raw = tvb:raw(0, len)
  local prefs = udpchat.prefs
  local to_server = in_range(prefs.tcp_ports, pinfo.dst_port)
  if to_server and in_range(prefs.tcp_ports, pinfo.src_port) then
    -- Both ports in the range (a client's ephemeral port can fall there): the lower is the server's.
    to_server = pinfo.dst_port < pinfo.src_port
  end
  local offset = 0
  local root
  while offset < len do
    local nl = string.find(raw, "\n", offset + 1, true)
    if not nl then
      -- An unfinished line: ask TCP for the next segment and start again at its first byte.
      pinfo.desegment_offset = offset
      pinfo.desegment_len = DESEGMENT_ONE_MORE_SEGMENT
      return len
    end
    local line_len = nl - 1 - offset -- without the '\n'
    local text_len = line_len
    if text_len > 0 and string.byte(raw, offset + text_len) == 13 then text_len = text_len - 1 end
    local s = string.sub(raw, offset + 1, offset + text_len)
    root = root or tree:add(udpchat, tvb(0, len))
    local r = tvb(offset, line_len + 1)
    local line = { tvb = tvb, base = offset }
    local lr = sub(line, 0, text_len)
    local t = root:add(f.line, lr, lr:string(ENC_UTF_8))
    t:set_text((to_server and "Client → server: " or "Server → client: ") .. lr:string(ENC_UTF_8))
    t:add(f.to_server, r, to_server):set_generated()
    if to_server then dissect_command(t, s, line) else dissect_reply(t, s, line) end
    info_add(pinfo, s == "" and "(empty line)" or short(s))
    offset = nl
  end
  return len
end

-- Download datagrams (UDP) -----------------------------------------------------
-- Per flow (src ip:port → dst ip:port): the frame of its first full datagram, and per seq
-- the frame that first carried it. `announced` holds "ip:port" of the clients' `udp|<port>`.
local flows, first_of_seq, announced = {}, {}, {}

function udpchat.init()
  flows, first_of_seq, announced = {}, {}, {}
end

local function flow_key(pinfo)
  return string.format("%s:%d>%s:%d", tostring(pinfo.src), pinfo.src_port, tostring(pinfo.dst), pinfo.dst_port)
end

local function dissect_datagram(tvb, pinfo, tree)
  local len = tvb:len()
  local seq = tvb(0, 4):uint()
  pinfo.cols.protocol = "UDPCHAT"
  pinfo.cols.info:clear()
  pinfo.cols.info:set(string.format("seq %d, %d bytes", seq, len - HEADER))
  local t = tree:add(udpchat, tvb(0, len), string.format("UDP chat lab, download datagram seq %d", seq))
  t:add(f.seq, tvb(0, 4))
  t:add(f.sep, tvb(4, 1))
  t:add(f.data_len, tvb(HEADER, len - HEADER), len - HEADER):set_generated()
  if len > HEADER then t:add(f.data, tvb(HEADER, len - HEADER)) end
  t:add(f.file_offset, tvb(0, 4), UInt64(seq) * CHUNK):set_generated()
  if len > FULL then t:add_proto_expert_info(e.too_long) end
  -- A seq seen before on the same flow is a resend (on the server's side of a lossy link;
  -- on the client's side, only the copies that got through appear).
  local k = string.format("%s#%d", flow_key(pinfo), seq)
  local first = first_of_seq[k]
  if not first or pinfo.number < first then
    first_of_seq[k] = pinfo.number
    first = pinfo.number
  end
  if first < pinfo.number then
    t:add(f.is_repeat, tvb(0, 4), true):set_generated()
    t:add(f.repeat_of, tvb(0, 4), first):set_generated()
    t:add_proto_expert_info(e.repeat_dg, string.format("seq %d again (first in frame %d)", seq, first))
    pinfo.cols.info:append(" [again]")
  end
  return len
end

-- Ports no download uses: DNS, DHCP, NTP, NetBIOS, SNMP, QUIC/HTTP3, IKE, syslog,
-- SSDP, STUN, IPsec NAT-T, VXLAN, mDNS, LLMNR.
local NOT_OURS = {
  [53] = true, [67] = true, [68] = true, [123] = true, [137] = true, [138] = true, [161] = true,
  [162] = true, [443] = true, [500] = true, [514] = true, [1900] = true, [3478] = true,
  [4500] = true, [4789] = true, [5353] = true, [5355] = true,
}

local function ports_plausible(pinfo)
  local a, b = pinfo.src_port, pinfo.dst_port
  return a >= 1024 and b >= 1024 and not NOT_OURS[a] and not NOT_OURS[b]
end

local function heuristic(tvb, pinfo, tree)
  if not udpchat.prefs.heuristic then return false end
  local len = tvb:len()
  if len < HEADER or len > FULL or tvb:reported_len() ~= len then return false end
  if tvb(4, 1):uint() ~= COLON then return false end
  local key = flow_key(pinfo)
  local known = flows[key]
  local ok = false
  if len == FULL and ports_plausible(pinfo) then
    -- (1) a full datagram between two unprivileged ports
    ok = true
    if not known or pinfo.number < known then flows[key] = pinfo.number end
  elseif known and known <= pinfo.number then
    -- (2) a shorter one (the file's last) on a flow that already carried a full one
    ok = true
  else
    -- (3) any size, to a client's UDP port that its `udp|<port>` line announced earlier
    local at = announced[string.format("%s:%d", tostring(pinfo.dst), pinfo.dst_port)]
    ok = at ~= nil and at <= pinfo.number
  end
  if not ok then return false end
  dissect_datagram(tvb, pinfo, tree)
  return true
end

-- The TCP side learns the clients' UDP ports for rule (3).
local function learn_udp_port(tvb, pinfo)
  if not in_range(udpchat.prefs.tcp_ports, pinfo.dst_port) then return end
  local raw = tvb:raw(0, tvb:len())
  for port in string.gmatch("\n" .. raw, "\nudp|(%d+)\r?\n") do
    local k = tostring(pinfo.src) .. ":" .. port
    if not announced[k] or pinfo.number < announced[k] then announced[k] = pinfo.number end
  end
end

-- The dissector: TCP (by port) or UDP (Decode As, or the "Datagram UDP ports" preference).
local PT_UDP = 3 -- port_type enum: PT_NONE, PT_SCTP, PT_TCP, PT_UDP, ...
function udpchat.dissector(tvb, pinfo, tree)
  if pinfo.port_type == PT_UDP then
    if tvb:len() < HEADER or tvb(4, 1):uint() ~= COLON then return 0 end
    return dissect_datagram(tvb, pinfo, tree)
  end
  learn_udp_port(tvb, pinfo)
  return dissect_lines(tvb, pinfo, tree)
end

-- Registration -------------------------------------------------------------------
local tcp_table = DissectorTable.get("tcp.port")
local udp_table = DissectorTable.get("udp.port")
local registered = { tcp = "", udp = "" }

local function register_ports()
  local tcp_ports, udp_ports = tostring(udpchat.prefs.tcp_ports or ""), tostring(udpchat.prefs.udp_ports or "")
  if registered.tcp ~= "" then tcp_table:remove(registered.tcp, udpchat) end
  if registered.udp ~= "" then udp_table:remove(registered.udp, udpchat) end
  if tcp_ports ~= "" then tcp_table:add(tcp_ports, udpchat) end
  if udp_ports ~= "" then udp_table:add(udp_ports, udpchat) end
  registered.tcp, registered.udp = tcp_ports, udp_ports
end

function udpchat.prefs_changed()
  register_ports()
end

register_ports()
udp_table:add_for_decode_as(udpchat)
udpchat:register_heuristic("udp", heuristic)
