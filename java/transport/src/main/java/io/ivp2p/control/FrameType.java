package io.ivp2p.control;

/**
 * The messages of the control channel (channel 0), their wire codes, and which of them answer a
 * request (matched to it by request id). docs/protocol.md describes each.
 */
public enum FrameType {
    /** app → device, first frame of a session: "version=1". */
    HELLO(0x01, false),
    /** device → app, answers HELLO: "version=1&device=<id>&peer=<peer>". */
    WELCOME(0x02, true),
    /** app → device: open a stream on {@code channel} with the params string. */
    STREAM_OPEN(0x10, false),
    /** device → app: the stream is open; payload: 8-byte start offset on the channel. */
    STREAM_OPENED(0x11, true),
    /** device → app: send_init_cb refused (or the request was invalid); payload: UTF-8 reason. */
    STREAM_REFUSED(0x12, true),
    /** app → device: stop the stream on {@code channel} (no reply; STREAM_END follows). */
    STREAM_CLOSE(0x13, false),
    /** device → app: the stream on {@code channel} ended; payload: 8-byte end offset, UTF-8 reason. */
    STREAM_END(0x14, false),
    /** app → device: start talk on {@code channel} with the params string. */
    TALK_OPEN(0x20, false),
    /** device → app: talk accepted. */
    TALK_OPENED(0x21, true),
    /** device → app: recv_init_cb refused (or no talk callbacks); payload: UTF-8 reason. */
    TALK_REFUSED(0x22, true),
    /** app → device: a command for command_cb. */
    COMMAND(0x30, false),
    /** device → app: command_cb's reply. */
    COMMAND_REPLY(0x31, true),
    /** device → app: command_cb returned no reply (NULL or empty): the command channel is closed. */
    COMMAND_CLOSED(0x32, true),
    /** device → app: iv_avt_p2p_send_command's message. */
    DEVICE_COMMAND(0x40, false),
    /** app → device: the app's reply to DEVICE_COMMAND. */
    DEVICE_COMMAND_REPLY(0x41, true),
    /** app → device: the app has no command handler, or it returned no reply; payload: reason. */
    DEVICE_COMMAND_UNHANDLED(0x42, true),
    /** either way: a request failed; payload: 4-byte code ({@link ControlError}), UTF-8 reason. */
    ERROR(0x7F, true);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final boolean reply;

    FrameType(int code, boolean reply) {
        this.code = code;
        this.reply = reply;
    }

    public int code() {
        return code;
    }

    /** True for frames that answer a request and are matched to it by request id. */
    public boolean isReply() {
        return reply;
    }

    /** The type with this wire code, or null (a newer peer's frame: skipped). */
    public static FrameType of(int code) {
        return code < 0 || code > 255 ? null : BY_CODE[code];
    }
}
