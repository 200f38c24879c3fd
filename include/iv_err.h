/*
 * iv_err.h - error codes of the IoT Video device SDK that the raw P2P
 * interface (iv_av.h) returns. Values are the vendor's (revision C); ivp2p
 * returns only codes from this list. Where a function documents which code it
 * returns for which failure, see iv_av.h.
 */
#ifndef IV_ERR_H
#define IV_ERR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    IV_ERR_NONE = 0,

    /* system module */
    IV_ERR_SYS_MALLOC_FAIL = -108,

    /* audio/video transmission module (AVT) */
    IV_ERR_AVT_INIT_PRM_NULL = -300,         /* init parameter pointer is NULL */
    IV_ERR_AVT_INIT_CB_NULL = -301,          /* a mandatory callback is NULL */
    IV_ERR_AVT_INIT_PRM_RANGE = -302,        /* an init parameter is out of range */
    IV_ERR_AVT_REQ_CHN_BUSY = -303,          /* channel busy */
    IV_ERR_AVT_SEND_STREAM_TOO_BIG = -304,   /* message or frame larger than allowed */
    IV_ERR_AVT_CHN_NOT_EXIT = -305,          /* (sic) channel/peer does not exist */
    IV_ERR_AVT_NEED_IDR_FRAME = -306,        /* an IDR frame is needed first */
    IV_ERR_AVT_MALLOC_BUFFER_FAILED = -307,  /* buffer allocation failed */
    IV_ERR_AVT_FAILED = -308,                /* general failure (see the log) */
    IV_ERR_AVT_INPUT_PARAM_NULL = -309,      /* a pointer argument is NULL */
    IV_ERR_AVT_INPUT_PARAM_INVAILD = -310,   /* (sic) an argument is invalid */
    IV_ERR_AVT_SEND_DATA_TIMEOUT = -311,     /* no reply within the timeout */
    IV_ERR_AVT_STATE_ERROR = -312,           /* wrong state (not initialised, twice, ...) */
    IV_ERR_AVT_VIDEO_DATA_ERROR = -313,      /* malformed media data */

    /* device state */
    IV_ERR_DEVICE_OFFLINE = -1001
} iv_err_code_e;

#ifdef __cplusplus
}
#endif

#endif /* IV_ERR_H */
