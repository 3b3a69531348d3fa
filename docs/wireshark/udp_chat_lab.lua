-- udp_chat_lab.lua — a Wireshark dissector for the udp-chat-lab protocol
-- (docs/PROTOCOL.md): the TCP control lines on ports 55000-55015 and the
-- UDP download datagrams `<4-byte big-endian seq><:><up to 2043 bytes>` (or up to
-- the block a `blksize|<bytes>` line agreed on for the connection),
-- found on any UDP port: each download's ports are learnt from its `udp|<port>`
-- line, and a heuristic recognises datagrams where the control line is absent.
--
-- Install: copy this file into Wireshark's personal Lua plugins folder
-- (Help → About Wireshark → Folders → "Personal Lua Plugins"), then restart
-- Wireshark or press Ctrl+Shift+L. One-off use with tshark:
--   tshark -r capture.pcap -X lua_script:udp_chat_lab.lua -Y udpchat
-- See docs/wireshark/README.md. Works with Wireshark 4.0 and later (Lua 5.2–5.4):
-- it uses no bitwise operators, no integer division and no 4.2+ only API.

local VERSION = "2.1"
local SERVER_PORTS = "55000-55015" -- the server's default --ports
local HEADER = 5                   -- 4-byte seq + ':'
local CHUNK = 2043                 -- file bytes in a full datagram
local FULL = HEADER + CHUNK        -- 2048: a full datagram's UDP payload
local MAX_BLOCK = 65000            -- the largest block `blksize|` may agree on
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
  -- Which download a line or datagram belongs to, and the links between requests and resends
  download    = ProtoField.uint32("udpchat.download", "Download (in the order of their udp| lines)", base.DEC),
  dl_file     = ProtoField.string("udpchat.download.file", "Download's file", base.UNICODE),
  dl_client   = ProtoField.string("udpchat.download.client", "Download's client (ip:udp port)"),
  is_resend   = ProtoField.bool("udpchat.resend", "A resend (its seq was asked for, or seen before)"),
  request_in  = ProtoField.framenum("udpchat.request_in", "Resent in answer to the request in frame", base.NONE, frametype.REQUEST),
  resent_in   = ProtoField.framenum("udpchat.resent_in", "Seq resent in frame", base.NONE, frametype.RESPONSE),
  missing_seq = ProtoField.uint32("udpchat.missing_seq", "Seq never seen in this capture", base.DEC),
}
udpchat.fields = {
  f.line, f.to_server, f.command, f.name, f.file, f.from, f.target, f.text, f.reason, f.last_byte,
  f.count, f.udp_port, f.resend_seq, f.resend_n,
  f.seq, f.sep, f.data_len, f.data, f.file_offset, f.repeat_of, f.is_repeat,
  f.download, f.dl_file, f.dl_client, f.is_resend, f.request_in, f.resent_in, f.missing_seq,
}

local e = {
  resend    = ProtoExpert.new("udpchat.resend.expert", "Resend request", expert.group.SEQUENCE, expert.severity.NOTE),
  repeat_dg = ProtoExpert.new("udpchat.repeat.expert", "Datagram sent again (answer to a resend)", expert.group.SEQUENCE, expert.severity.NOTE),
  error     = ProtoExpert.new("udpchat.error.expert", "Server refused a line", expert.group.RESPONSE_CODE, expert.severity.WARN),
  bad_seq   = ProtoExpert.new("udpchat.bad_seq.expert", "Not a seq (a decimal number below 2^32)", expert.group.MALFORMED, expert.severity.ERROR),
  too_long  = ProtoExpert.new("udpchat.too_long.expert", "Datagram longer than its download's block (2043 bytes unless blksize| agreed on another)", expert.group.MALFORMED, expert.severity.ERROR),
  missing   = ProtoExpert.new("udpchat.missing.expert", "Seq of a finished part never seen", expert.group.SEQUENCE, expert.severity.WARN),
  unasked   = ProtoExpert.new("udpchat.unasked.expert", "Resend nobody asked for", expert.group.SEQUENCE, expert.severity.WARN),
  after_hole = ProtoExpert.new("udpchat.hole.expert", "Bytes after a hole in the TCP stream", expert.group.REASSEMBLE, expert.severity.WARN),
}
udpchat.experts = {
  e.resend, e.repeat_dg, e.error, e.bad_seq, e.too_long, e.missing, e.unasked, e.after_hole,
}

-- Preferences ------------------------------------------------------------------
udpchat.prefs.tcp_ports = Pref.range("Server TCP ports", SERVER_PORTS,
  "The server's control ports (its --ports). Lines towards one of them are client commands.", 65535)
udpchat.prefs.udp_ports = Pref.range("Datagram UDP ports", "",
  "UDP ports always decoded as download datagrams, without the heuristic (either side's port)", 65535)
udpchat.prefs.heuristic = Pref.bool("Find download datagrams heuristically", true,
  "Recognise datagrams on any UDP port pair (see docs/wireshark/README.md for the rules)")
udpchat.prefs.pause = Pref.uint("Server's --pause (percent)", 50,
  "Where a download's first part ends (H = ceil(N x pause / 100)), for the missing-seq check")

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

-- `ack`, `checksum` and `blksize` are optional lines that newer clients may send: shown by name, never as errors.
local CLIENT_VERBS = {
  connect = true, disconnect = true, get_users = true, get_list_file = true, msg_all = true,
  msg = true, download = true, udp = true, resend = true, proceed = true, stop = true,
  ack = true, checksum = true, blksize = true,
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
  elseif tok[1].text == "checksum" or (tok[1].text == "blksize" and #tok == 2) then
    kind = tok[1].text
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

-- Downloads ------------------------------------------------------------------------
-- Wireshark dissects every frame once in order (pinfo.visited false), then again in any order
-- when a user clicks or filters: state is built on the first pass and remembered per frame.
local lost_segment_field = Field.new("tcp.analysis.lost_segment")
local udp_table = DissectorTable.get("udp.port")

local conns, downloads, by_udp, line_memo, dg_memo, answers, claimed
local function reset()
  conns, downloads, by_udp, line_memo, dg_memo, answers = {}, {}, {}, {}, {}, {}
end
reset()
claimed = {} -- UDP port -> the dissector that had it before (false: none); survives reloads

local function conn_key(pinfo, to_server)
  local c, s = tostring(pinfo.src) .. ":" .. pinfo.src_port, tostring(pinfo.dst) .. ":" .. pinfo.dst_port
  if not to_server then c, s = s, c end
  return c .. ">" .. s, (to_server and tostring(pinfo.src) or tostring(pinfo.dst))
end

local function part_bounds(d, part)
  local h = math.ceil(d.n * udpchat.prefs.pause / 100)
  if h > d.n then h = d.n end
  if part == 1 then return 0, h - 1 end
  return h, d.n - 1
end

-- Seqs of a part this capture never showed: only meaningful once the capture held some datagram of it.
local function missing_in_part(d, part)
  if not d.any_seen or not d.n then return {} end
  local lo, hi = part_bounds(d, part)
  local out = {}
  for seq = lo, hi do
    if not d.seen[seq] then out[#out + 1] = seq end
  end
  return out
end

-- A port the download uses is ours from its udp| line on, even if Wireshark gives it to another
-- protocol (EtherNet/IP on 44818 …): that protocol still gets whatever is not a datagram of ours.
local function claim_port(port)
  if claimed[port] ~= nil then return end
  claimed[port] = udp_table:get_dissector(port) or false
  udp_table:add(port, udpchat)
end

local function on_command(c, pinfo, s, memo)
  local d = c.download
  if string.sub(s, 1, 9) == "download|" then
    c.pending_file = string.sub(s, 10)
  elseif d and string.sub(s, 1, 4) == "udp|" then
    local port = tonumber(string.match(s, "^udp|(%d+)$") or "")
    if port and port <= 65535 then
      d.udp_port = port
      by_udp[d.client_ip .. ":" .. port] = d
      claim_port(port)
    end
  elseif d and string.sub(s, 1, 7) == "resend|" then
    for seqtext in string.gmatch(string.sub(s, 8), "[^|]+") do
      local seq = tonumber(seqtext)
      if seq then
        d.asked[seq] = d.asked[seq] or {}
        table.insert(d.asked[seq], pinfo.number)
      end
    end
    memo.request = true
  elseif d and (s == "proceed" or s == "stop") then
    memo.missing = missing_in_part(d, 1)
  end
end

local function on_reply(c, pinfo, s, memo)
  local n = string.match(s, "^|(%d+)$")
  local block = tonumber(string.match(s, "^blksize|(%d+)$") or "")
  if block and block <= MAX_BLOCK then
    -- The block of the downloads this connection starts from now on (docs/PROTOCOL.md, Block size).
    c.block = block
  elseif n and c.pending_file then
    local d = {
      id = #downloads + 1, file = c.pending_file, client_ip = c.client_ip, n = tonumber(n),
      seen = {}, asked = {}, part_max = {}, any_seen = false, block = c.block or CHUNK,
    }
    downloads[#downloads + 1] = d
    c.download, c.pending_file = d, nil
    memo.download = d.id
  elseif c.download and (s == "download stopped" or string.match(s, "^User .+ downloaded 100%% out of file%.")) then
    if s ~= "download stopped" then memo.missing = missing_in_part(c.download, 2) end
    c.download = nil
  elseif string.sub(s, 1, 16) == "Can't download. " then
    c.pending_file = nil
  end
end

local function track_line(pinfo, index, to_server, s)
  local key = pinfo.number .. "#" .. index
  if pinfo.visited then return end
  local ck, client_ip = conn_key(pinfo, to_server)
  local c = conns[ck]
  if not c then
    c = { client_ip = client_ip }
    conns[ck] = c
  end
  local memo = {}
  memo.download = c.download and c.download.id
  if to_server then on_command(c, pinfo, s, memo) else on_reply(c, pinfo, s, memo) end
  line_memo[key] = memo
end

local function show_line_download(t, r, pinfo, index)
  local memo = line_memo[pinfo.number .. "#" .. index]
  if not memo then return end
  local d = memo.download and downloads[memo.download]
  if d then
    t:add(f.download, r, d.id):set_generated()
    t:add(f.dl_file, r, d.file):set_generated()
  end
  if memo.request then
    local got = answers[pinfo.number]
    if got then
      for _, a in ipairs(got) do
        t:add(f.resent_in, r, a.frame):set_text(string.format("seq %d resent in frame %d", a.seq, a.frame))
      end
    end
  end
  if memo.missing and #memo.missing > 0 then
    for _, seq in ipairs(memo.missing) do t:add(f.missing_seq, r, seq):set_generated() end
    t:add_proto_expert_info(e.missing, string.format("%d seq%s of the part that ends here never seen in this capture: %s",
      #memo.missing, #memo.missing == 1 and "" or "s", table.concat(memo.missing, ", ", 1, math.min(#memo.missing, 20))))
  end
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
  local offset, index = 0, 0
  local root
  if lost_segment_field() then
    -- Bytes after a hole: with TCP's default preferences an out-of-order segment comes here as if it
    -- started a line. Read lines only from the first line break on, so no fragment passes for a line.
    local nl = string.find(raw, "\n", 1, true)
    root = tree:add(udpchat, tvb(0, len))
    local skipped = nl or len
    root:add(tvb(0, skipped), string.format("[%d bytes after a hole in the TCP stream: the end of a line whose start is missing]", skipped))
      :add_proto_expert_info(e.after_hole, "Bytes after a hole in the TCP stream: not read as a line (see docs/wireshark/README.md on TCP's \"Reassemble out-of-order segments\")")
    info_add(pinfo, "[end of a line after a TCP hole]")
    if not nl then return len end
    offset = nl
  end
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
    index = index + 1
    track_line(pinfo, index, to_server, s)
    show_line_download(t, r, pinfo, index)
    info_add(pinfo, s == "" and "(empty line)" or short(s))
    offset = nl
  end
  return len
end

-- Download datagrams (UDP) -----------------------------------------------------
-- Per flow (src ip:port → dst ip:port): the frame of its first full datagram, and per seq
-- the frame that first carried it.
local flows, first_of_seq = {}, {}

function udpchat.init()
  flows, first_of_seq = {}, {}
  reset()
end

local function flow_key(pinfo)
  return string.format("%s:%d>%s:%d", tostring(pinfo.src), pinfo.src_port, tostring(pinfo.dst), pinfo.dst_port)
end

-- First pass: which download, whether a resend, which request it answers.
local function track_datagram(pinfo, seq)
  local memo = {}
  local k = string.format("%s#%d", flow_key(pinfo), seq)
  local first = first_of_seq[k]
  if first then memo.repeat_of = first else first_of_seq[k] = pinfo.number end
  local d = by_udp[tostring(pinfo.dst) .. ":" .. pinfo.dst_port]
  if d then
    memo.download = d.id
    local queue = d.asked[seq]
    -- Sent before (here, or lost before this capture point: a later seq of its part came first):
    -- only then can the server answer a request for it; requests for unsent seqs it ignores.
    local part = seq < select(2, part_bounds(d, 1)) + 1 and 1 or 2
    local sent_before = d.seen[seq] or (d.part_max[part] or -1) > seq
    if queue and #queue > 0 and sent_before then
      -- The oldest request naming this seq that no copy has answered yet.
      memo.request = table.remove(queue, 1)
      memo.resend = true
      answers[memo.request] = answers[memo.request] or {}
      table.insert(answers[memo.request], { seq = seq, frame = pinfo.number })
    elseif d.seen[seq] then
      memo.resend, memo.unasked = true, true
    end
    d.seen[seq] = true
    d.any_seen = true
    if (d.part_max[part] or -1) < seq then d.part_max[part] = seq end
  elseif first then
    memo.resend = true
  end
  return memo
end

local function dissect_datagram(tvb, pinfo, tree)
  local len = tvb:len()
  local seq = tvb(0, 4):uint()
  if not pinfo.visited then dg_memo[pinfo.number] = track_datagram(pinfo, seq) end
  local memo = dg_memo[pinfo.number] or {}
  pinfo.cols.protocol = "UDPCHAT"
  pinfo.cols.info:clear()
  pinfo.cols.info:set(string.format("seq %d, %d bytes", seq, len - HEADER))
  local t = tree:add(udpchat, tvb(0, len), string.format("UDP chat lab, download datagram seq %d", seq))
  t:add(f.seq, tvb(0, 4))
  t:add(f.sep, tvb(4, 1))
  t:add(f.data_len, tvb(HEADER, len - HEADER), len - HEADER):set_generated()
  if len > HEADER then t:add(f.data, tvb(HEADER, len - HEADER)) end
  local d = memo.download and downloads[memo.download]
  local block = d and d.block or CHUNK
  t:add(f.file_offset, tvb(0, 4), UInt64(seq) * block):set_generated()
  if len > HEADER + block then t:add_proto_expert_info(e.too_long) end
  if d then
    t:add(f.download, tvb(0, 4), d.id):set_generated()
    t:add(f.dl_file, tvb(0, 4), d.file):set_generated()
    t:add(f.dl_client, tvb(0, 4), d.client_ip .. ":" .. tostring(d.udp_port)):set_generated()
  end
  if memo.resend then t:add(f.is_resend, tvb(0, 4), true):set_generated() end
  if memo.request then
    t:add(f.request_in, tvb(0, 4), memo.request):set_generated()
  end
  if memo.repeat_of then
    t:add(f.is_repeat, tvb(0, 4), true):set_generated()
    t:add(f.repeat_of, tvb(0, 4), memo.repeat_of):set_generated()
    t:add_proto_expert_info(e.repeat_dg, string.format("seq %d again (first in frame %d)", seq, memo.repeat_of))
  end
  if memo.unasked then
    t:add_proto_expert_info(e.unasked, string.format("seq %d sent again, but no resend request asked for it", seq))
  end
  if memo.resend then pinfo.cols.info:append(" [again]") end
  if d then pinfo.cols.info:append(string.format(" [download %d: %s]", d.id, d.file)) end
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

-- `block`: the largest block the datagram may carry: the seed's, unless its download agreed on another.
local function looks_like_datagram(tvb, block)
  local len = tvb:len()
  return len >= HEADER and len <= HEADER + (block or CHUNK) and tvb:reported_len() == len and tvb(4, 1):uint() == COLON
end

-- Ours when a udp| line announced the destination, or (heuristically) a full datagram between two
-- unprivileged ports, or a shorter one on a flow that already carried a full one.
local function is_ours(tvb, pinfo, heuristically)
  local d = by_udp[tostring(pinfo.dst) .. ":" .. pinfo.dst_port]
  if d then return looks_like_datagram(tvb, d.block) end
  if not looks_like_datagram(tvb) then return false end
  if pinfo.visited and dg_memo[pinfo.number] then return true end
  if not heuristically then return false end
  local key = flow_key(pinfo)
  local known = flows[key]
  if tvb:len() == FULL and ports_plausible(pinfo) then
    if not known or pinfo.number < known then flows[key] = pinfo.number end
    return true
  end
  return known ~= nil and known <= pinfo.number
end

local function heuristic(tvb, pinfo, tree)
  if not udpchat.prefs.heuristic or not is_ours(tvb, pinfo, true) then return false end
  dissect_datagram(tvb, pinfo, tree)
  return true
end

-- The dissector: TCP (by port), or UDP (a port claimed from a udp| line, Decode As, or the
-- "Datagram UDP ports" preference). On a claimed port, what is not ours goes to its old owner.
local PT_UDP = 3 -- port_type enum: PT_NONE, PT_SCTP, PT_TCP, PT_UDP, ...
function udpchat.dissector(tvb, pinfo, tree)
  if pinfo.port_type == PT_UDP then
    local forced = in_range(udpchat.prefs.udp_ports, pinfo.src_port) or in_range(udpchat.prefs.udp_ports, pinfo.dst_port)
    if (forced and looks_like_datagram(tvb)) or is_ours(tvb, pinfo, udpchat.prefs.heuristic) then
      return dissect_datagram(tvb, pinfo, tree)
    end
    for _, port in ipairs({ pinfo.dst_port, pinfo.src_port }) do
      local before = claimed[port]
      if before then return before:call(tvb, pinfo, tree) end
    end
    return 0
  end
  return dissect_lines(tvb, pinfo, tree)
end

-- Registration -------------------------------------------------------------------
local tcp_table = DissectorTable.get("tcp.port")
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
