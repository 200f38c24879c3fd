package io.ivp2p.security;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSRecordCallback;
import org.bouncycastle.tls.DTLSRecordFlags;
import org.bouncycastle.tls.DTLSRequest;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsPSKIdentityManager;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DTLS 1.2 association with one peer: ECDHE-PSK, where the PSK is the device's access key and the
 * PSK identity the app's user id; RFC 9146 connection IDs so it survives a NAT rebinding; usable
 * from a non-blocking event loop. The app is the client, the device the server.
 *
 * <p>The handshake is bctls' blocking code and runs on the {@code handshakeExecutor} given to the
 * factory; datagrams for it are queued by {@link #onDatagram}. Once established, records are
 * decrypted by {@link #onDatagram} and encrypted by {@link #send} on the calling thread, without
 * blocking. It never owns or closes a socket: ciphertext leaves through {@link Output}.
 *
 * <h2>Threads</h2>
 * <ul>
 * <li>{@link #start()}, and {@link #onDatagram} and {@link #close()} while {@link State#HANDSHAKING}:
 *     any thread.</li>
 * <li>Once {@link Events#onEstablished} has been called: {@link #onDatagram}, {@link #send},
 *     {@link #processQueued} and {@link #close()} from one thread, the owner's event loop.</li>
 * <li>{@link Output#send}: on the handshake thread during the handshake (including the alert that
 *     ends a failed handshake), on the event-loop thread afterwards (records, close_notify, and the
 *     server's last handshake flight when the client retransmits its own, RFC 6347 §4.2.4).</li>
 * <li>{@link Events#onEstablished} and the handshake's {@link Events#onFailed}: on the handshake
 *     thread. A later {@link Events#onFailed} and {@link Events#onClosed}: on the event-loop thread,
 *     inside {@link #onDatagram} or {@link #send}.</li>
 * <li>Getters: any thread.</li>
 * </ul>
 *
 * <h2>What reaches {@code plaintext}</h2>
 * Only the content of application-data records that bctls authenticated (AEAD) in the current
 * epoch, each once (its replay window). Everything else — bad MAC, replays, garbage, truncated
 * records, records of another epoch — is dropped and counted in {@link #droppedRecords()}.
 */
public final class DtlsAssociation implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DtlsAssociation.class);

    /** RFC 9146 §6: only a record that is authenticated, the newest, and carries our CID may move the peer. */
    private static final int MAY_MOVE_PEER = DTLSRecordFlags.IS_NEWEST | DTLSRecordFlags.USES_CONNECTION_ID;
    private static final SecureRandom CID_RANDOM = new SecureRandom();

    public enum State { HANDSHAKING, ESTABLISHED, FAILED, CLOSED }

    /**
     * Where ciphertext goes: one datagram to {@code to}. The buffer is the callee's (bctls allocates
     * a fresh array per record). Threads: see the class comment. An exception thrown here counts as
     * a lost datagram; it does not fail the association (UDP sends fail transiently while roaming).
     */
    @FunctionalInterface
    public interface Output {
        void send(ByteBuffer datagram, InetSocketAddress to);
    }

    /** What the association tells its owner. Threads: see the class comment. */
    public interface Events {
        /** The handshake completed; {@link #send} may be used from now on (from the event loop). */
        void onEstablished(DtlsAssociation a);

        /** The handshake failed, or the established association failed (fatal alert); final. */
        void onFailed(DtlsAssociation a, String reason, Throwable cause);

        /** The peer closed the association (close_notify); final. Not called for our own close(). */
        default void onClosed(DtlsAssociation a) {
        }
    }

    private final boolean isClient;
    /** Client: the identity we present. */
    private final String identity;
    /** Client: our copy of the PSK until the handshake thread hands it to bctls, then zeroed. */
    private byte[] clientPsk;
    private final PskLookup keys;
    /** Server: a ClientHello whose cookie was verified (null: the handshake reads the ClientHello). */
    private final DTLSRequest verifiedHello;
    private final DtlsSettings settings;
    private final Output out;
    private final Executor handshakeExecutor;
    private final Events events;
    private final byte[] localConnectionId;
    private final QueueTransport transport;
    private final Hooks hooks = new Hooks();
    private final AtomicLong dropped = new AtomicLong();
    /** Guards the state changes that race: the end of the handshake against onDatagram and close. */
    private final Object lock = new Object();

    private volatile State state = State.HANDSHAKING;
    private volatile InetSocketAddress peer;
    private volatile String peerIdentity;
    private volatile int cipherSuite = -1;
    private volatile int maxPlaintext = -1;
    private boolean started; // under lock
    private long handshakeStartNanos; // handshake thread

    // Written by the handshake thread before `state` becomes ESTABLISHED (volatile write), read after.
    private DTLSTransport dtls;
    private int inboundConnectionIdLength;
    private byte[] receiveBuffer;

    // Event-loop thread only.
    private boolean leftoversProcessed;
    private byte[] sendCopy;
    private final byte[] emptyRecord = new byte[1];
    private boolean recordAccepted;
    private int recordFlags;
    private final DTLSRecordCallback recordCallback = flags -> {
        recordAccepted = true;
        recordFlags = flags;
    };

    private DtlsAssociation(boolean isClient, String identity, byte[] psk, PskLookup keys, DTLSRequest verifiedHello,
            DtlsSettings settings, InetSocketAddress peer, Output out, Executor handshakeExecutor, Events events) {
        this.isClient = isClient;
        this.identity = identity;
        this.clientPsk = psk;
        this.keys = keys;
        this.verifiedHello = verifiedHello;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.out = Objects.requireNonNull(out, "out");
        this.handshakeExecutor = Objects.requireNonNull(handshakeExecutor, "handshakeExecutor");
        this.events = Objects.requireNonNull(events, "events");
        if (settings.connectionIdLength() > 0) {
            localConnectionId = new byte[settings.connectionIdLength()];
            CID_RANDOM.nextBytes(localConnectionId);
        } else {
            localConnectionId = null;
        }
        this.transport = new QueueTransport(settings.maxDatagramSize(), this::emit);
    }

    /**
     * The app's side: authenticates with {@code identity} (the user id, UTF-8) and {@code psk} (the
     * device's access key; copied, the caller's array is not kept). Call {@link #start()} next.
     */
    public static DtlsAssociation client(String identity, byte[] psk, DtlsSettings settings, InetSocketAddress peer,
            Output out, Executor handshakeExecutor, Events events) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(psk, "psk");
        int identityBytes = identity.getBytes(StandardCharsets.UTF_8).length;
        if (identityBytes == 0 || identityBytes > 0xFFFF) {
            throw new IllegalArgumentException("PSK identity must be 1..65535 bytes of UTF-8 (RFC 4279 §2)");
        }
        if (psk.length == 0) {
            throw new IllegalArgumentException("empty PSK");
        }
        return new DtlsAssociation(true, identity, psk.clone(), null, null, settings, peer, out, handshakeExecutor,
                events);
    }

    /**
     * The device's side, for a peer whose ClientHello the path layer saw
     * ({@link DtlsDemux#isClientHello}); feed that datagram to {@link #onDatagram} after
     * {@link #start()} (or before: it is queued). {@code keys} looks up the client's identity.
     */
    public static DtlsAssociation server(PskLookup keys, DtlsSettings settings, InetSocketAddress peer, Output out,
            Executor handshakeExecutor, Events events) {
        Objects.requireNonNull(keys, "keys");
        return new DtlsAssociation(false, null, null, keys, null, settings, peer, out, handshakeExecutor, events);
    }

    /**
     * The device's side for a ClientHello that passed a {@link DtlsCookieGate}: the handshake continues
     * from it (RFC 6347 §4.2.1), and its sender is the peer.
     */
    public static DtlsAssociation server(PskLookup keys, DtlsSettings settings, DtlsCookieGate.VerifiedHello hello,
            Output out, Executor handshakeExecutor, Events events) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(hello, "hello");
        return new DtlsAssociation(false, null, null, keys, hello.request(), settings, hello.from(), out,
                handshakeExecutor, events);
    }

    /** Runs the blocking bctls handshake on the handshake executor. Once only. */
    public void start() {
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("start() called twice");
            }
            started = true;
            if (state != State.HANDSHAKING) {
                return;
            }
        }
        try {
            handshakeExecutor.execute(this::runHandshake);
        } catch (RejectedExecutionException e) {
            handshakeFailed("the handshake executor rejected the handshake", e);
        }
    }

    /**
     * A datagram from {@code from}; reads it without moving its position and never throws for bad
     * input. While HANDSHAKING: copied and queued for the handshake thread (only datagrams from the
     * peer; others are dropped). When ESTABLISHED: each record is decrypted on the calling thread and
     * each authenticated application-data record's plaintext is passed to {@code plaintext} (0..n
     * calls; the buffer is reused and valid only during the call); bad MAC, replays and garbage are
     * dropped and counted. RFC 9146 §6: if a record was authenticated, is the newest received, and
     * carried our connection ID, and {@code from} differs from the current peer, the peer address
     * becomes {@code from} and this returns true. Otherwise false. FAILED or CLOSED: ignored.
     */
    public boolean onDatagram(ByteBuffer datagram, InetSocketAddress from, Consumer<ByteBuffer> plaintext) {
        Objects.requireNonNull(datagram, "datagram");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(plaintext, "plaintext");
        State s = state;
        if (s == State.HANDSHAKING) {
            synchronized (lock) {
                s = state;
                if (s == State.HANDSHAKING) {
                    int n = datagram.remaining();
                    if (!from.equals(peer) || n == 0 || n > QueueTransport.RECEIVE_LIMIT) {
                        dropped.incrementAndGet();
                    } else {
                        byte[] copy = new byte[n];
                        datagram.get(datagram.position(), copy);
                        if (!transport.offer(copy)) {
                            dropped.incrementAndGet();
                        }
                    }
                    return false;
                }
            }
        }
        if (s != State.ESTABLISHED) {
            return false;
        }
        processLeftovers(plaintext);
        return processDatagram(datagram, from, plaintext);
    }

    /**
     * Processes what arrived while the handshake was finishing but too late for the handshake thread
     * (a record the peer sent right after its own handshake completed, say). {@link #onDatagram}
     * does this first on its first call after establishment; an owner that wants no delay calls this
     * on its event loop once {@link Events#onEstablished} was reported.
     */
    public void processQueued(Consumer<ByteBuffer> plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        if (state == State.ESTABLISHED) {
            processLeftovers(plaintext);
        }
    }

    /**
     * Encrypts {@code plaintext} (its remaining bytes, at most {@link #maxPlaintext()}) into one
     * record and sends it to the current peer; consumes the buffer. ESTABLISHED only
     * (IllegalStateException otherwise). A failure of the record layer fails the association and is
     * thrown as UncheckedIOException.
     */
    public void send(ByteBuffer plaintext) {
        State s = state;
        if (s != State.ESTABLISHED) {
            throw new IllegalStateException("cannot send: the DTLS association with " + peer + " is " + s);
        }
        int len = plaintext.remaining();
        if (len > maxPlaintext) {
            // bctls would fail the whole association with internal_error.
            throw new IllegalArgumentException(len + " bytes of plaintext exceed maxPlaintext() = " + maxPlaintext);
        }
        byte[] buf;
        int off;
        if (len == 0) {
            buf = emptyRecord; // DTLSTransport.send rejects an offset at the end of the array
            off = 0;
        } else if (plaintext.hasArray()) {
            buf = plaintext.array();
            off = plaintext.arrayOffset() + plaintext.position();
        } else {
            if (sendCopy == null) {
                sendCopy = new byte[maxPlaintext];
            }
            plaintext.get(plaintext.position(), sendCopy, 0, len);
            buf = sendCopy;
            off = 0;
        }
        try {
            dtls.send(buf, off, len);
        } catch (IOException e) {
            failEstablished("DTLS send failed: " + e, e);
            throw new UncheckedIOException("DTLS send to " + peer + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            failEstablished("DTLS send failed: " + e, e);
            throw new UncheckedIOException("DTLS send to " + peer + " failed: " + e, new IOException(e));
        }
        plaintext.position(plaintext.limit());
    }

    /**
     * The largest plaintext one record carries within {@code maxDatagramSize}: DTLSTransport's send
     * limit for the negotiated suite and the peer's CID. ESTABLISHED (or later) only.
     */
    public int maxPlaintext() {
        int m = maxPlaintext;
        if (m < 0) {
            throw new IllegalStateException("maxPlaintext is known once the handshake completed");
        }
        return m;
    }

    /** What DTLS adds to each record: header, peer's CID, explicit nonce, tag, inner content type. */
    public int recordOverhead() {
        return settings.maxDatagramSize() - maxPlaintext();
    }

    /**
     * The connection ID we offered (and, if the peer supports RFC 9146, the one its records to us
     * carry), fixed for the association's life; null if the settings use none. A copy.
     */
    public byte[] localConnectionId() {
        return localConnectionId == null ? null : localConnectionId.clone();
    }

    /** Where records go now: the address given at creation, until RFC 9146 §6 moves it. */
    public InetSocketAddress peer() {
        return peer;
    }

    /** Server side: the client's PSK identity once the handshake completed; null before and on the client. */
    public String peerIdentity() {
        return peerIdentity;
    }

    public State state() {
        return state;
    }

    /** Records (or unframeable datagram tails) dropped: bad MAC, replay, garbage, wrong sender, full queue. */
    public long droppedRecords() {
        return dropped.get();
    }

    /** The negotiated cipher suite (see {@link DtlsSettings}), -1 before the handshake completed. */
    public int cipherSuite() {
        return cipherSuite;
    }

    public boolean isClient() {
        return isClient;
    }

    /**
     * Sends close_notify if established and ends the association (state CLOSED); during the handshake
     * it aborts it (the peer gets a user_canceled alert). Idempotent. Closes no socket: bctls'
     * DTLSTransport.close() closes only our in-memory transport.
     */
    @Override
    public void close() {
        State s;
        synchronized (lock) {
            s = state;
            if (s == State.CLOSED || s == State.FAILED) {
                return;
            }
            state = State.CLOSED;
            if (s == State.HANDSHAKING) {
                transport.cancel();
            }
        }
        if (s == State.ESTABLISHED) {
            try {
                dtls.close(); // close_notify through emit(), then QueueTransport.close()
            } catch (IOException e) {
                log.debug("DTLS close with {}: {}", peer, e.toString());
            }
            log.debug("DTLS association with {} closed (close_notify sent)", peer);
        } else {
            log.debug("DTLS association with {} closed during the handshake", peer);
        }
    }

    @Override
    public String toString() {
        return "DtlsAssociation[" + (isClient ? "client" : "server") + " " + peer + " " + state + "]";
    }

    // ------------------------------------------------------------------ handshake thread

    private void runHandshake() {
        if (state != State.HANDSHAKING) {
            if (clientPsk != null) {
                Arrays.fill(clientPsk, (byte) 0);
                clientPsk = null;
            }
            return;
        }
        handshakeStartNanos = System.nanoTime();
        log.debug("DTLS handshake as {} with {} starting (suites {}, CID {}{})", isClient ? "client" : "server",
                peer, suiteNames(settings.cipherSuites()), hex(localConnectionId),
                isClient ? ", identity '" + printable(identity) + "'" : "");
        DTLSTransport t;
        try {
            TlsCrypto crypto = settings.crypto().create(hooks);
            if (isClient) {
                byte[] psk = clientPsk;
                clientPsk = null;
                PskPeers.Client client = new PskPeers.Client(crypto, identity.getBytes(StandardCharsets.UTF_8), psk,
                        settings, localConnectionId, hooks);
                Arrays.fill(psk, (byte) 0); // BasicTlsPSKIdentity keeps its own copy
                t = new DTLSClientProtocol().connect(client, transport);
            } else {
                PskPeers.Server server = new PskPeers.Server(crypto, new KeyStore(), settings, localConnectionId,
                        hooks);
                t = new DTLSServerProtocol().accept(server, transport, verifiedHello);
            }
        } catch (IOException | RuntimeException e) {
            handshakeFailed(describeHandshakeFailure(e), e);
            return;
        }
        int sendLimit;
        int receiveLimit;
        try {
            sendLimit = t.getSendLimit();
            receiveLimit = t.getReceiveLimit();
        } catch (IOException e) {
            handshakeFailed("handshake completed but the record layer is unusable: " + e, e);
            return;
        }
        boolean closedMeanwhile;
        synchronized (lock) {
            closedMeanwhile = state != State.HANDSHAKING;
            if (!closedMeanwhile) {
                dtls = t;
                receiveBuffer = new byte[receiveLimit];
                maxPlaintext = sendLimit;
                transport.established();
                state = State.ESTABLISHED;
            }
        }
        if (closedMeanwhile) {
            try {
                t.close();
            } catch (IOException e) {
                log.debug("DTLS close with {}: {}", peer, e.toString());
            }
            return;
        }
        log.info("DTLS handshake as {} with {} complete in {} ms: {}, identity '{}', CID in {} out {}",
                isClient ? "client" : "server", peer, (System.nanoTime() - handshakeStartNanos) / 1_000_000,
                DtlsSettings.suiteName(cipherSuite), printable(isClient ? identity : peerIdentity),
                hooks.inboundCid == null ? "none" : hex(hooks.inboundCid),
                hooks.outboundCid == null ? "none" : hex(hooks.outboundCid));
        try {
            events.onEstablished(this);
        } catch (RuntimeException e) {
            log.warn("onEstablished of {} threw", this, e);
        }
    }

    private void handshakeFailed(String reason, Throwable cause) {
        synchronized (lock) {
            if (state != State.HANDSHAKING) {
                transport.close();
                log.debug("DTLS handshake with {} ended after close(): {}", peer, reason);
                return;
            }
            state = State.FAILED;
        }
        transport.close();
        long ms = handshakeStartNanos == 0 ? 0 : (System.nanoTime() - handshakeStartNanos) / 1_000_000;
        log.warn("DTLS handshake as {} with {} failed after {} ms: {}", isClient ? "client" : "server", peer, ms,
                reason);
        notifyFailed(reason, cause);
    }

    private String describeHandshakeFailure(Throwable e) {
        String other = isClient ? "server" : "client";
        if (!isClient && hooks.unknownIdentity) {
            return "PSK identity '" + printable(hooks.requestedIdentity) + "' unknown";
        }
        if (hooks.finishedRejected) {
            return "handshake failed: the " + other + "'s Finished did not authenticate (bad_record_mac, answered "
                    + "with decrypt_error) — wrong access key?";
        }
        if (hooks.peerClosed) {
            return "the " + other + " closed the connection during the handshake (close_notify)";
        }
        if (e instanceof TlsFatalAlertReceived received) {
            short d = received.getAlertDescription();
            switch (d) {
                case AlertDescription.unknown_psk_identity:
                    return "the server does not know PSK identity '" + printable(identity) + "' (unknown_psk_identity)";
                case AlertDescription.decrypt_error:
                case AlertDescription.bad_record_mac:
                    return "handshake failed: the " + other + " could not verify our Finished ("
                            + AlertDescription.getName(d) + ") — wrong access key?";
                case AlertDescription.user_canceled:
                    return "the " + other + " cancelled the handshake (user_canceled)";
                default:
                    return "handshake failed: the " + other + " sent fatal alert " + AlertDescription.getName(d);
            }
        }
        if (e instanceof TlsTimeoutException) {
            return "handshake timed out after " + settings.handshakeTimeoutMillis() + " ms (" + other
                    + " unreachable or not answering)";
        }
        if (e instanceof TlsFatalAlert alert) {
            String name = AlertDescription.getName(alert.getAlertDescription());
            Throwable c = alert.getCause();
            return "handshake failed: " + name + (c == null ? "" : " (" + c + ")");
        }
        return "handshake failed: " + e;
    }

    private void notifyFailed(String reason, Throwable cause) {
        try {
            events.onFailed(this, reason, cause);
        } catch (RuntimeException e) {
            log.warn("onFailed of {} threw", this, e);
        }
    }

    /** The bctls transport's sink: one datagram to the current peer. */
    private void emit(byte[] buf, int off, int len) {
        InetSocketAddress to = peer;
        try {
            out.send(ByteBuffer.wrap(buf, off, len).slice(), to);
        } catch (RuntimeException e) {
            // A lost datagram to DTLS; bctls would fail the association on it.
            log.debug("DTLS output to {} failed; datagram lost: {}", to, e.toString());
        }
    }

    // ------------------------------------------------------------------ event-loop thread

    private void processLeftovers(Consumer<ByteBuffer> plaintext) {
        if (leftoversProcessed) {
            return;
        }
        leftoversProcessed = true;
        // Records bctls split off the handshake's last datagram and kept for later.
        while (state == State.ESTABLISHED) {
            int n;
            try {
                n = dtls.receivePending(receiveBuffer, 0, receiveBuffer.length, null);
            } catch (IOException | RuntimeException e) {
                recordLayerFailed(e);
                return;
            }
            if (n < 0) {
                break;
            }
            plaintext.accept(ByteBuffer.wrap(receiveBuffer, 0, n));
            checkPeerClosed();
        }
        byte[] d;
        while (state == State.ESTABLISHED && (d = transport.pollQueued()) != null) {
            processDatagram(ByteBuffer.wrap(d), peer, plaintext);
        }
    }

    /** Frames the datagram's records and gives bctls one at a time, so each record's flags are its own. */
    private boolean processDatagram(ByteBuffer datagram, InetSocketAddress from, Consumer<ByteBuffer> plaintext) {
        boolean moved = false;
        int pos = datagram.position();
        int end = datagram.limit();
        if (pos == end) {
            dropped.incrementAndGet();
        }
        while (pos < end && state == State.ESTABLISHED) {
            int len = DtlsDemux.recordLength(datagram, pos, inboundConnectionIdLength);
            if (len < 0) {
                dropped.incrementAndGet(); // truncated or not DTLS: the rest cannot be framed
                break;
            }
            byte[] record = new byte[len];
            datagram.get(pos, record);
            pos += len;
            moved |= processRecord(record, from, plaintext);
        }
        return moved;
    }

    private boolean processRecord(byte[] record, InetSocketAddress from, Consumer<ByteBuffer> plaintext) {
        transport.setNext(record);
        recordAccepted = false;
        recordFlags = 0;
        int n;
        try {
            // Returns the record's plaintext, or throws Drained once bctls asks for another datagram.
            n = dtls.receive(receiveBuffer, 0, receiveBuffer.length, 1, recordCallback);
        } catch (InterruptedIOException e) {
            n = -1;
        } catch (IOException | RuntimeException e) {
            transport.setNext(null);
            recordLayerFailed(e);
            return false;
        }
        transport.setNext(null);
        boolean moved = false;
        if (!recordAccepted) {
            dropped.incrementAndGet();
        } else if ((recordFlags & MAY_MOVE_PEER) == MAY_MOVE_PEER && !from.equals(peer)) {
            log.info("DTLS peer {} moved to {} (RFC 9146 §6: authenticated newest record with our CID)", peer, from);
            peer = from;
            moved = true;
        }
        if (n >= 0) {
            plaintext.accept(ByteBuffer.wrap(receiveBuffer, 0, n));
        }
        checkPeerClosed();
        return moved;
    }

    private void checkPeerClosed() {
        if (!hooks.peerClosed || state != State.ESTABLISHED) {
            return;
        }
        synchronized (lock) {
            if (state != State.ESTABLISHED) {
                return;
            }
            state = State.CLOSED;
        }
        log.info("DTLS association with {} closed by the peer (close_notify)", peer);
        try {
            events.onClosed(this);
        } catch (RuntimeException e) {
            log.warn("onClosed of {} threw", this, e);
        }
    }

    private void recordLayerFailed(Exception e) {
        String reason = e instanceof TlsFatalAlertReceived received
                ? "the peer sent fatal alert " + AlertDescription.getName(received.getAlertDescription())
                : "DTLS record layer failed: " + e;
        failEstablished(reason, e);
    }

    private void failEstablished(String reason, Throwable cause) {
        synchronized (lock) {
            if (state != State.ESTABLISHED) {
                return;
            }
            state = State.FAILED;
        }
        transport.close();
        log.warn("DTLS association with {} failed: {}", peer, reason);
        notifyFailed(reason, cause);
    }

    // ------------------------------------------------------------------ bctls callbacks

    /** bctls' view of the key store: strict UTF-8 identities, a fresh copy of each key. */
    private final class KeyStore implements TlsPSKIdentityManager {
        @Override
        public byte[] getHint() {
            return null; // RFC 4279 §5.2: no identity hint
        }

        @Override
        public byte[] getPSK(byte[] identityBytes) {
            String name = decodeIdentity(identityBytes);
            hooks.requestedIdentity = name != null ? name : "0x" + hex(identityBytes);
            if (name == null) {
                hooks.unknownIdentity = true;
                return null;
            }
            byte[] key = keys.pskFor(name);
            if (key == null || key.length == 0) {
                hooks.unknownIdentity = true;
                return null; // bctls: unknown_psk_identity alert
            }
            return key.clone(); // bctls zeroes the array it gets
        }
    }

    /** bctls' callbacks, on the thread running bctls at the moment. */
    private final class Hooks implements PskPeers.Hooks {
        volatile boolean handshakeComplete;
        volatile boolean finishedRejected;
        volatile boolean unknownIdentity;
        volatile boolean peerClosed;
        volatile String requestedIdentity;
        volatile byte[] inboundCid;
        volatile byte[] outboundCid;

        @Override
        public boolean handshakeComplete() {
            return handshakeComplete;
        }

        @Override
        public void finishedRejected() {
            finishedRejected = true;
        }

        @Override
        public void alertRaised(short level, short description, String message, Throwable cause) {
            if (log.isDebugEnabled()) {
                log.debug("DTLS {} alert {} sent to {}{}", AlertLevel.getName(level),
                        AlertDescription.getName(description), peer, message == null ? "" : ": " + message);
            }
        }

        @Override
        public void alertReceived(short level, short description) {
            if (description == AlertDescription.close_notify) {
                peerClosed = true;
            }
            if (log.isDebugEnabled()) {
                log.debug("DTLS {} alert {} received from {}", AlertLevel.getName(level),
                        AlertDescription.getName(description), peer);
            }
        }

        @Override
        public void handshakeCompleted(SecurityParameters parameters) {
            cipherSuite = parameters.getCipherSuite();
            // bctls names CIDs by who writes them: "local" is the one we write (the peer's choice).
            inboundCid = parameters.getConnectionIDPeer();
            outboundCid = parameters.getConnectionIDLocal();
            inboundConnectionIdLength = inboundCid == null ? 0 : inboundCid.length;
            if (!isClient) {
                byte[] id = parameters.getPSKIdentity();
                peerIdentity = id == null ? null : decodeIdentity(id);
            }
            handshakeComplete = true;
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String decodeIdentity(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** An identity for a log line: the peer chooses it, so control characters are escaped and length capped. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), 64) + 8);
        for (int i = 0; i < s.length() && b.length() < 64; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '\'' || c == '\\') {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return s.length() > 64 ? b + "…" : b.toString();
    }

    static String hex(byte[] b) {
        if (b == null) {
            return "none";
        }
        StringBuilder s = new StringBuilder(b.length * 2);
        for (byte x : b) {
            s.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return s.toString();
    }

    private static String suiteNames(int[] suites) {
        StringBuilder s = new StringBuilder();
        for (int suite : suites) {
            s.append(s.length() == 0 ? "" : ", ").append(DtlsSettings.suiteName(suite));
        }
        return s.toString();
    }
}
