package io.ivp2p.bridge;

/** {@code iv_avt_event_e} of include/iv_av.h; the numbers are the vendor's. */
public enum IvEvent {
    PEER_READY(0),
    PEER_CONNECT_FAIL(1),
    PEER_ERROR(2),
    PEER_ADDR_CHANGED(3),
    WATERMARK_LOW(4),
    WATERMARK_WARN(5),
    WATERMARK_HIGH(6),
    LOCAL_NET_READY(7),
    LINK_DISCONNECT(8),
    CLI_SEND_CLOSE(9);

    private final int code;

    IvEvent(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Vendor: "handle is the stream handle for the WATERMARK events, NULL otherwise". */
    public boolean carriesStreamHandle() {
        return this == WATERMARK_LOW || this == WATERMARK_WARN || this == WATERMARK_HIGH;
    }
}
