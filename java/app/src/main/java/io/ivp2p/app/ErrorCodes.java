package io.ivp2p.app;

import io.ivp2p.control.ControlError;
import io.ivp2p.session.CloseReason;

/** The one place where transport and protocol outcomes become {@link P2pError} codes. */
final class ErrorCodes {
    private ErrorCodes() {}

    /** Why a session ended, as the code reads and sends return once nothing is left. */
    static int ofClose(CloseReason r) {
        if (r == null) {
            return P2pError.SESSION_CLOSED_CALLED; // closing on our side, not finished yet
        }
        // docs/protocol.md, "Connection limit": "ended right after the handshake with CLOSE code 3
        // (CloseReason.SESSION_LIMIT) ... the app reports MAX_SESSION (-17)".
        if (r.kind() == CloseReason.Kind.REMOTE && r.code() == CloseReason.SESSION_LIMIT) {
            return P2pError.MAX_SESSION;
        }
        return switch (r.kind()) {
            case REMOTE, PROTOCOL_ERROR -> P2pError.SESSION_CLOSED_REMOTE;
            case TIMEOUT -> P2pError.SESSION_CLOSED_TIMEOUT;
            // We aborted because the device broke the control protocol: the device's doing.
            case LOCAL -> r.code() == CloseReason.PROTOCOL_VIOLATION ? P2pError.SESSION_CLOSED_REMOTE
                    : P2pError.SESSION_CLOSED_CALLED;
        };
    }

    /** An ERROR frame's code ({@link ControlError}) from the device. */
    static int ofControlError(int code) {
        return switch (code) {
            case ControlError.INVALID -> P2pError.INVALID_PARAMETER;
            case ControlError.BUSY -> P2pError.DEVICE_BUSY;
            // The device is in iv_avt_p2p_exit and ends every session next.
            case ControlError.SHUTTING_DOWN -> P2pError.SESSION_CLOSED_REMOTE;
            case ControlError.CHANNEL_BUSY -> P2pError.CHANNEL_BUSY;
            // A code of a newer device: it refused the request for a reason we cannot name.
            default -> P2pError.INVALID_PARAMETER;
        };
    }
}
