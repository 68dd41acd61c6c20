// Just enough WebRTC for JsSIP's RTCSession to make and take calls in Node, where no media is
// sent: a fake RTCPeerConnection that "creates" a fixed audio offer (or an answer to any offer),
// accepts any description that looks like SDP, reports ICE gathering as already complete (so
// JsSIP does not wait for candidates) and has no tracks or senders. JsSIP reaches these through
// globals (`window.RTCPeerConnection`, `RTCPeerConnection`, `RTCSessionDescription`), so
// installFakeWebRtc() defines them, once, only where nothing defines them already.
//
// Members, all JsSIP 3.13 uses: createOffer, createAnswer, setLocalDescription,
// setRemoteDescription, localDescription, remoteDescription, signalingState, iceGatheringState,
// iceConnectionState, getSenders (DTMF over RTP and hold look for an audio sender: there is none,
// so RFC 2833 DTMF is impossible and only INFO works), addTrack (never called without a
// MediaStream), close, and the EventTarget methods.

/** A session description, as `new RTCSessionDescription({ type, sdp })` gives. */
export class FakeRTCSessionDescription {
  readonly type: string;
  readonly sdp: string;
  constructor(init: { type?: string; sdp?: string } = {}) {
    this.type = init.type ?? '';
    this.sdp = init.sdp ?? '';
  }
  toJSON(): { type: string; sdp: string } {
    return { type: this.type, sdp: this.sdp };
  }
}

/** PCMU plus telephone-event on the discard port: a valid audio offer that carries nothing. */
export function fixedSdp(sessionId: number): string {
  return [
    'v=0',
    `o=callsim ${sessionId} 1 IN IP4 127.0.0.1`,
    's=callsim',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    'm=audio 9 RTP/AVP 0 101',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

type SignalingState = 'stable' | 'have-local-offer' | 'have-remote-offer' | 'closed';

let sessions = 0;

export class FakeRTCPeerConnection extends EventTarget {
  localDescription: FakeRTCSessionDescription | null = null;
  remoteDescription: FakeRTCSessionDescription | null = null;
  signalingState: SignalingState = 'stable';
  /** Always complete: there are no candidates to gather. */
  readonly iceGatheringState = 'complete';
  iceConnectionState: 'new' | 'connected' | 'closed' = 'new';
  private readonly sessionId = ++sessions;

  constructor(_configuration?: unknown, _constraints?: unknown) {
    super();
  }

  createOffer(_options?: unknown): Promise<FakeRTCSessionDescription> {
    if (this.signalingState === 'closed') return Promise.reject(new Error('createOffer on a closed connection'));
    return Promise.resolve(new FakeRTCSessionDescription({ type: 'offer', sdp: fixedSdp(this.sessionId) }));
  }

  createAnswer(_options?: unknown): Promise<FakeRTCSessionDescription> {
    if (this.signalingState !== 'have-remote-offer') return Promise.reject(new Error(`createAnswer in signaling state ${this.signalingState}`));
    return Promise.resolve(new FakeRTCSessionDescription({ type: 'answer', sdp: fixedSdp(this.sessionId) }));
  }

  setLocalDescription(d: FakeRTCSessionDescription): Promise<void> {
    return this.apply(d, 'local');
  }

  setRemoteDescription(d: FakeRTCSessionDescription): Promise<void> {
    return this.apply(d, 'remote');
  }

  getSenders(): never[] {
    return [];
  }

  getReceivers(): never[] {
    return [];
  }

  addTrack(): never {
    throw new Error('the fake RTCPeerConnection carries no media tracks');
  }

  close(): void {
    this.signalingState = 'closed';
    this.iceConnectionState = 'closed';
  }

  private apply(d: FakeRTCSessionDescription, side: 'local' | 'remote'): Promise<void> {
    if (this.signalingState === 'closed') return Promise.reject(new Error('the connection is closed'));
    // the far end's SDP is where a broken peer shows: refuse what is not SDP at all
    if (!d.sdp.startsWith('v=0')) return Promise.reject(new Error(`${side} description is not SDP (it must start with "v=0")`));
    if (side === 'local') this.localDescription = d;
    else this.remoteDescription = d;
    if (d.type === 'offer') this.signalingState = side === 'local' ? 'have-local-offer' : 'have-remote-offer';
    else if (d.type === 'answer') {
      this.signalingState = 'stable';
      this.iceConnectionState = 'connected';
    }
    return Promise.resolve();
  }
}

/**
 * Defines the globals JsSIP needs (`RTCPeerConnection`, `RTCSessionDescription`, and a `window`
 * holding them) unless something already defines them. Idempotent.
 */
export function installFakeWebRtc(): void {
  const g = globalThis as Record<string, unknown>;
  g['RTCPeerConnection'] ??= FakeRTCPeerConnection;
  g['RTCSessionDescription'] ??= FakeRTCSessionDescription;
  if (g['window'] === undefined) {
    g['window'] = { RTCPeerConnection: g['RTCPeerConnection'], RTCSessionDescription: g['RTCSessionDescription'] };
  } else {
    const w = g['window'] as Record<string, unknown>;
    w['RTCPeerConnection'] ??= g['RTCPeerConnection'];
    w['RTCSessionDescription'] ??= g['RTCSessionDescription'];
  }
}
