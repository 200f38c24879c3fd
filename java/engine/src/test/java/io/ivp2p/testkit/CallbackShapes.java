package io.ivp2p.testkit;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;

import io.ivp2p.bridge.CLayouts;
import io.ivp2p.bridge.SizeT;

/**
 * The C shapes of iv_p2p_parm_s's seven callbacks and of buf_free_fn, as JNA {@link Callback}
 * interfaces: a firmware written in Java for tests implements them and hands the engine real
 * native function pointers.
 */
public final class CallbackShapes {
    private CallbackShapes() {}

    public interface SendInit extends Callback {
        Pointer invoke(String params, String peer);
    }

    public interface SendGet extends Callback {
        CLayouts.IvCmMemory.ByValue invoke(Pointer handle);
    }

    public interface SendStop extends Callback {
        int invoke(Pointer handle);
    }

    public interface EventNotify extends Callback {
        void invoke(int event, Pointer handle);
    }

    public interface RecvInit extends Callback {
        Pointer invoke(String params, String peer);
    }

    public interface RecvVoice extends Callback {
        void invoke(Pointer handle, Pointer buf, SizeT len);
    }

    public interface Command extends Callback {
        CLayouts.IvCmMemory.ByValue invoke(Pointer command, SizeT cmdLen, String peer);
    }

    public interface BufFree extends Callback {
        void invoke(Pointer buf, SizeT size);
    }
}
