package io.ivp2p.bridge;

/**
 * The {@code iv_err_code_e} values of include/iv_err.h that ivp2p returns. The numbers are the
 * vendor's (revision C) and must never change: firmware compares against them.
 */
public enum IvError {
    NONE(0),
    SYS_MALLOC_FAIL(-108),
    AVT_INIT_PRM_NULL(-300),
    AVT_INIT_CB_NULL(-301),
    AVT_INIT_PRM_RANGE(-302),
    AVT_REQ_CHN_BUSY(-303),
    AVT_SEND_STREAM_TOO_BIG(-304),
    AVT_CHN_NOT_EXIT(-305),
    AVT_NEED_IDR_FRAME(-306),
    AVT_MALLOC_BUFFER_FAILED(-307),
    AVT_FAILED(-308),
    AVT_INPUT_PARAM_NULL(-309),
    AVT_INPUT_PARAM_INVAILD(-310),
    AVT_SEND_DATA_TIMEOUT(-311),
    AVT_STATE_ERROR(-312),
    AVT_VIDEO_DATA_ERROR(-313),
    DEVICE_OFFLINE(-1001);

    private final int code;

    IvError(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The C name, for log lines a firmware developer can grep for. */
    public String cName() {
        return "IV_ERR_" + name();
    }

    @Override
    public String toString() {
        return cName() + " (" + code + ")";
    }
}
