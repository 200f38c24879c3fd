package io.ivp2p.control;

/** Codes carried by {@link FrameType#ERROR} frames. */
public final class ControlError {
    /** The request was malformed (bad channel, params too long, ...). */
    public static final int INVALID = 1;
    /** Too many requests of this session are waiting for the firmware; try again later. */
    public static final int BUSY = 2;
    /** The device is shutting down (iv_avt_p2p_exit). */
    public static final int SHUTTING_DOWN = 3;
    /** The channel already carries a stream or talk. */
    public static final int CHANNEL_BUSY = 4;

    private ControlError() {}
}
