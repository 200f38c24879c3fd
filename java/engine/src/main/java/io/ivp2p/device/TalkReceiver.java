package io.ivp2p.device;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.bridge.FirmwareCallbacks;
import io.ivp2p.control.ControlProtocolException;
import io.ivp2p.control.TalkChunks;
import io.ivp2p.path.SessionClosedException;
import io.ivp2p.session.CloseReason;

/**
 * One talk: the receive handle {@code recv_init_cb} returned, and a thread that reads the talk
 * channel and hands each chunk to {@code recv_voice_cb} in order. The talk ends exactly once with
 * {@code recv_voice_cb(handle, NULL, 0)}: when the app sends the end marker, its session ends, or
 * the device exits. Chunk delivery and the end marker are serialised, so the end never overtakes
 * a chunk that is being delivered.
 */
final class TalkReceiver {
    private static final Logger log = LoggerFactory.getLogger(TalkReceiver.class);
    private static final long READ_POLL_MS = 500;

    final long handle;
    final int channel;
    private final AppPeer peer;
    private final FirmwareCallbacks fw;
    private final TalkChunks chunks = new TalkChunks();
    private boolean ended;
    private Thread reader;
    private long chunkCount;
    private long bytes;

    TalkReceiver(long handle, int channel, AppPeer peer, FirmwareCallbacks fw) {
        this.handle = handle;
        this.channel = channel;
        this.peer = peer;
        this.fw = fw;
    }

    void start() {
        Thread t = new Thread(this::readLoop, "ivp2p-talk-" + peer.name() + "-ch" + channel);
        t.setDaemon(true);
        reader = t;
        t.start();
    }

    /**
     * The app's session ended: chunks it sent before (and its end marker) may still wait in the
     * session's receive buffer, readable after the close. Lets the reader deliver them, for at
     * most {@code waitMillis}, then ends the talk if the reader has not.
     */
    void endAfterReader(String why, long waitMillis) {
        Thread t = reader;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive() && !ended()) {
                // Not silent: the audio the app sent last is cut off here.
                log.warn("{} talk on channel {}: still delivering {} ms after the session ended (is"
                        + " recv_voice_cb slow?); ending it now, what was not yet delivered is dropped",
                        peer.name(), channel, waitMillis);
            }
        }
        end(why);
    }

    private synchronized boolean ended() {
        return ended;
    }

    private void readLoop() {
        byte[] buf = new byte[16 * 1024];
        String why = "the app ended the talk";
        try {
            while (!ended()) {
                int n = peer.session().read(channel, buf, 0, buf.length, READ_POLL_MS);
                if (n < 0) {
                    why = "the app finished the talk channel";
                    break;
                }
                List<byte[]> got = chunks.feed(buf, 0, n);
                for (byte[] c : got) {
                    if (c.length == 0) {
                        end(why);
                        return;
                    }
                    deliver(c);
                }
            }
        } catch (SessionClosedException e) {
            CloseReason r = e.reason();
            why = "the app's session ended (" + (r == null ? "?" : r.kind()) + ")";
        } catch (ControlProtocolException e) {
            why = e.getMessage();
            log.warn("{} ch{}: {}; ending the session", peer.name(), channel, why);
            peer.session().abort(CloseReason.PROTOCOL_VIOLATION, why);
        } catch (RuntimeException e) {
            why = "talk reader failed: " + e;
            log.error("{} ch{}: talk reader failed", peer.name(), channel, e);
        }
        end(why);
    }

    private synchronized void deliver(byte[] chunk) {
        if (ended) {
            return;
        }
        chunkCount++;
        bytes += chunk.length;
        fw.recvVoice(handle, chunk, 0, chunk.length);
    }

    /** Calls {@code recv_voice_cb(handle, NULL, 0)} if not done yet. Any thread. */
    synchronized void end(String why) {
        if (ended) {
            return;
        }
        ended = true;
        log.info("{} ch{}: talk ended ({}): {} chunks, {} bytes", peer.name(), channel, why, chunkCount, bytes);
        try {
            fw.recvVoiceEnd(handle);
        } catch (RuntimeException e) {
            log.error("{} ch{}: recv_voice_cb(NULL, 0) failed", peer.name(), channel, e);
        } finally {
            peer.talkEnded(this);
        }
    }
}
