// Example messages shared by the codec's tests and its throughput script.

export const sdp = [
  'v=0', 'o=alice 2890844526 2890844526 IN IP4 10.0.0.1', 's=-', 'c=IN IP4 10.0.0.1', 't=0 0',
  'm=audio 49170 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', '',
].join('\r\n');

export const invite = [
  'INVITE sip:12333@ivr.example.gov SIP/2.0',
  'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds;rport',
  'Max-Forwards: 70',
  'To: "12333 Hotline" <sip:12333@ivr.example.gov>',
  'From: "Alice, caller" <sip:alice@example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.example.com',
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@10.0.0.1:5060>',
  'Content-Type: application/sdp',
  `Content-Length: ${sdp.length}`,
  '',
  sdp,
].join('\r\n');

