package io.ivp2p.bridge;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks an {@code iv_p2p_parm_s} copy against the documented ranges (include/iv_av.h) and fills
 * in defaults for the fields where 0 means "default". Throws {@link IvException} with
 * {@link IvError#AVT_INIT_CB_NULL} or {@link IvError#AVT_INIT_PRM_RANGE} and a message naming
 * the member and the accepted values.
 */
public final class ParamValidator {
    private static final Logger log = LoggerFactory.getLogger(ParamValidator.class);

    /** Vendor: "mtu_size: range 500-1460, 0 selects the default 1200". */
    public static final int MTU_MIN = 500;
    public static final int MTU_MAX = 1460;
    public static final int MTU_DEFAULT = 1200;
    /** Vendor: "sender_interval_ms: timer interval for fetching data, default 10 ms". */
    public static final int SENDER_INTERVAL_DEFAULT_MS = 10;
    /** Ours: a poll slower than 1 s cannot carry live video. */
    public static final int SENDER_INTERVAL_MAX_MS = 1000;
    /** Vendor: "keepalive_interval_s: keep-alive with the STUN server, default 10 s". */
    public static final int KEEPALIVE_DEFAULT_S = 10;
    public static final int KEEPALIVE_MAX_S = 3600;
    /** Vendor: "access_retry_times: default 10 (the real retry count is 3 times this)". */
    public static final int ACCESS_RETRY_DEFAULT = 10;
    public static final int ACCESS_RETRY_MAX = 100;
    /** Vendor: "max_attempt_num: at most 10, 3 recommended". */
    public static final int KEEPALIVE_ATTEMPTS_MAX = 10;
    /** Vendor: "ids use [A-Za-z0-9_]". */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    /** Characters of an IPv6 literal (with an embedded IPv4 tail), before any %zone. */
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9_.-]{1,16}");

    private ParamValidator() {}

    public static P2pParams validate(P2pParams raw) {
        checkCallbacks(raw.callbacks());
        if (raw.keepAlive().maxAttempts() > KEEPALIVE_ATTEMPTS_MAX) {
            throw range("p2p_keep_alive.max_attempt_num", raw.keepAlive().maxAttempts(),
                    "0 (off) or 1.." + KEEPALIVE_ATTEMPTS_MAX);
        }
        return new P2pParams(raw.callbacks(), raw.keepAlive(), checkInit(raw.init()),
                checkNet(raw.net()));
    }

    private static void checkCallbacks(P2pParams.Callbacks cb) {
        if (cb.sendInit() == 0) {
            throw cbNull("p2p_handle_send_init_cb");
        }
        if (cb.sendGet() == 0) {
            throw cbNull("p2p_handle_send_get_cb");
        }
        if (cb.sendStop() == 0) {
            throw cbNull("p2p_handle_send_stop_cb");
        }
        // Talk needs both halves: a recv handle nobody feeds, or audio with no handle, is a bug.
        if ((cb.recvInit() == 0) != (cb.recvVoice() == 0)) {
            throw new IvException(IvError.AVT_INIT_CB_NULL,
                    (cb.recvInit() == 0 ? "p2p_handle_recv_init_cb" : "p2p_handle_recv_voice_cb")
                            + " is NULL but its partner is set: set both (talk accepted) or"
                            + " neither (talk refused)");
        }
    }

    private static P2pParams.InitParams checkInit(P2pParams.InitParams p) {
        if (p.logLevel() > 5) {
            throw range("p2p_init_params.log_level", p.logLevel(), "0 (DISABLE)..5 (VERBOSE)");
        }
        long mtu = p.mtuSize();
        if (mtu != 0 && (mtu < MTU_MIN || mtu > MTU_MAX)) {
            throw range("p2p_init_params.mtu_size", mtu, "0 (default " + MTU_DEFAULT + ") or "
                    + MTU_MIN + ".." + MTU_MAX);
        }
        if (p.nicType() > 1) {
            throw range("p2p_init_params.nic_type", p.nicType(), "0 (NORMAL) or 1 (NAT_EX)");
        }
        long interval = p.senderIntervalMs();
        if (interval > SENDER_INTERVAL_MAX_MS) {
            throw range("p2p_init_params.sender_interval_ms", interval,
                    "0 (default " + SENDER_INTERVAL_DEFAULT_MS + ") or 1.." + SENDER_INTERVAL_MAX_MS);
        }
        if (p.keepaliveIntervalS() > KEEPALIVE_MAX_S) {
            throw range("p2p_init_params.keepalive_interval_s", p.keepaliveIntervalS(),
                    "0 (default " + KEEPALIVE_DEFAULT_S + ") or 1.." + KEEPALIVE_MAX_S);
        }
        if (p.accessRetryTimes() > ACCESS_RETRY_MAX) {
            throw range("p2p_init_params.access_retry_times", p.accessRetryTimes(),
                    "0 (default " + ACCESS_RETRY_DEFAULT + ") or 1.." + ACCESS_RETRY_MAX);
        }
        if (p.protocol() > 2) {
            throw range("p2p_init_params.protocol", p.protocol(), "0 (UDP), 1 (TCP) or 2 (AUTO)");
        }
        if (p.protocol() == 1) {
            log.warn("p2p_init_params.protocol=TCP: ivp2p carries sessions over UDP; using UDP");
        }
        return new P2pParams.InitParams(p.logLevel(), p.logFilePath(), p.logFileSize(),
                mtu == 0 ? MTU_DEFAULT : mtu, p.nicType(),
                interval == 0 ? SENDER_INTERVAL_DEFAULT_MS : interval,
                p.keepaliveIntervalS() == 0 ? KEEPALIVE_DEFAULT_S : p.keepaliveIntervalS(),
                p.accessRetryTimes() == 0 ? ACCESS_RETRY_DEFAULT : p.accessRetryTimes(),
                p.protocol());
    }

    private static P2pParams.NetInfo checkNet(P2pParams.NetInfo n) {
        checkPort("net_info.probe_port", n.probePort());
        checkPort("net_info.trans_port", n.transPort());
        String addr = n.localAddr();
        if (!addr.isEmpty() && !IPV4.matcher(addr).matches() && !isIpv6Literal(addr)) {
            throw new IvException(IvError.AVT_INIT_PRM_RANGE, "net_info.local_addr=\"" + addr
                    + "\": must be empty (any address) or an IPv4/IPv6 literal");
        }
        checkId("net_info.vendor_id", n.vendorId());
        checkId("net_info.device_id", n.deviceId());
        return n;
    }

    /**
     * A textual IPv6 address, optionally with a %zone. Parsed by the JDK, which for a string with a
     * ':' never asks DNS: it either parses the literal or throws.
     */
    static boolean isIpv6Literal(String addr) {
        int percent = addr.indexOf('%');
        String literal = percent < 0 ? addr : addr.substring(0, percent);
        if (percent >= 0 && !ZONE.matcher(addr.substring(percent + 1)).matches()) {
            return false;
        }
        if (literal.indexOf(':') < 0 || !IPV6_CHARS.matcher(literal).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(literal) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void checkPort(String what, long port) {
        if (port < 0 || port > 65535) {
            throw range(what, port, "0 (off) or 1..65535");
        }
    }

    private static void checkId(String what, String id) {
        if (id != null && !ID.matcher(id).matches()) {
            throw new IvException(IvError.AVT_INIT_PRM_RANGE, what + "=\"" + id
                    + "\": must be NULL or 1..64 characters of [A-Za-z0-9_]");
        }
    }

    private static IvException range(String what, long value, String accepted) {
        return new IvException(IvError.AVT_INIT_PRM_RANGE,
                what + "=" + value + ": must be " + accepted);
    }

    private static IvException cbNull(String member) {
        return new IvException(IvError.AVT_INIT_CB_NULL, member + " is NULL; send_init, send_get"
                + " and send_stop are mandatory (include/iv_av.h)");
    }
}
