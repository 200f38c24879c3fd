package io.ivp2p.viewer;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FLV stream to many clients, each able to join at any time (no I/O: {@link LiveRelay} feeds
 * it). It keeps what a client joining mid-stream needs to start decoding at once: the FLV header,
 * onMetaData, the latest AVC and AAC sequence headers, and the tags since the last key frame (the
 * GOP). A joining client gets those, then the stream as it comes. The camera's timestamps are kept;
 * players take the first one as their start.
 *
 * <p>Thread-safe: the feeder and the clients' threads call in; everything is under this lock, so a
 * client joins exactly between two tags.
 */
final class FanOut {
    private static final Logger log = LoggerFactory.getLogger(FanOut.class);
    /** A GOP of the sample's clips is ~75 KiB (600 kbit/s, 1 s); past this it is not cached and joiners wait for the next key frame. */
    static final int MAX_GOP_BYTES = 4 << 20;

    private final List<Subscriber> subscribers = new ArrayList<>();
    /** Clients that joined when no GOP was cached: nothing but the header until a key frame comes. */
    private final List<Subscriber> waitingForKeyFrame = new ArrayList<>();
    private byte[] header;
    private FlvTag metadata;
    private FlvTag videoConfig;
    private FlvTag audioConfig;
    private final List<FlvTag> gop = new ArrayList<>();
    private long gopBytes;
    private boolean gopValid;

    /** Adds a client, primed with the start of the stream if one is running. */
    synchronized void join(Subscriber s) {
        if (header != null) {
            s.offer(header);
            if (gopValid && !gop.isEmpty()) {
                int ts = gop.get(0).timestamp();
                sendConfigs(s, ts);
                for (FlvTag t : gop) {
                    s.offer(t.encode());
                }
            } else {
                waitingForKeyFrame.add(s);
            }
        }
        subscribers.add(s);
    }

    /** Removes a client; true if it was there. */
    synchronized boolean leave(Subscriber s) {
        waitingForKeyFrame.remove(s);
        return subscribers.remove(s);
    }

    synchronized int size() {
        return subscribers.size();
    }

    synchronized boolean isEmpty() {
        return subscribers.isEmpty();
    }

    /** The stream's FLV header (a new stream starts). */
    synchronized void header(byte[] b) {
        reset();
        header = b;
        for (Subscriber s : List.copyOf(subscribers)) {
            send(s, b);
        }
    }

    synchronized void tag(FlvTag t) {
        if (t.isScript()) {
            metadata = t;
        } else if (t.isSequenceHeader()) {
            if (t.isVideo()) {
                videoConfig = t;
            } else {
                audioConfig = t;
            }
        } else if (t.isKeyFrame()) {
            gop.clear();
            gopBytes = 0;
            gopValid = true;
            for (Subscriber s : waitingForKeyFrame) {
                sendConfigs(s, t.timestamp()); // the key frame itself follows below
            }
            waitingForKeyFrame.clear();
        }
        if (gopValid && !t.isScript() && !t.isSequenceHeader()) {
            gopBytes += t.data().length;
            if (gopBytes > MAX_GOP_BYTES) {
                gop.clear();
                gopValid = false; // until the next key frame
            } else {
                gop.add(t);
            }
        }
        byte[] bytes = t.encode();
        for (Subscriber s : List.copyOf(subscribers)) {
            if (!waitingForKeyFrame.contains(s)) {
                send(s, bytes);
            }
        }
    }

    /** Forgets the stream (it ended); clients stay. */
    synchronized void reset() {
        header = null;
        metadata = null;
        videoConfig = null;
        audioConfig = null;
        gop.clear();
        gopBytes = 0;
        gopValid = false;
        waitingForKeyFrame.clear();
    }

    /** Ends every client's response after what it has queued, and removes them. */
    synchronized void endAll(String why) {
        for (Subscriber s : subscribers) {
            s.close(why);
        }
        subscribers.clear();
        waitingForKeyFrame.clear();
    }

    private void sendConfigs(Subscriber s, int ts) {
        // With the GOP's timestamp: some players take the first tag's timestamp as the stream's start.
        if (metadata != null) {
            s.offer(metadata.encode(ts));
        }
        if (videoConfig != null) {
            s.offer(videoConfig.encode(ts));
        }
        if (audioConfig != null) {
            s.offer(audioConfig.encode(ts));
        }
    }

    private void send(Subscriber s, byte[] b) {
        if (!s.offer(b)) {
            subscribers.remove(s);
            waitingForKeyFrame.remove(s);
            log.warn("{} dropped: it fell behind", s.name());
        }
    }
}
