// The seam between the SIP transaction layer and the network (RFC 3261 section 18). A
// transport sends one message to an address; what arrives is handed to a receive callback.
// Memory, UDP and WebSocket transports implement this; the layers above never see sockets.

import type { SipMessage } from './message.js';

/** Sends SIP messages. `to` is a transport address such as `10.0.0.1:5060` (its format is the transport's). */
export interface SipTransport {
  send(message: SipMessage, to: string): void;
  /**
   * Sends text that is a serialized message (serialize's output), when the transport can
   * without parsing it: a transaction that keeps its final response as text (Timer J) then
   * serializes it once. Optional; without it the message is sent with `send`.
   */
  sendText?(text: string, to: string): void;
}

/** The receive side: called by a transport for every message it delivers, with the sender's address. */
export type SipReceiver = (message: SipMessage, from: string) => void;
