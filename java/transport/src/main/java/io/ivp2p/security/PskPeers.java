package io.ivp2p.security;

import java.io.IOException;

import org.bouncycastle.tls.BasicTlsPSKIdentity;
import org.bouncycastle.tls.PSKTlsClient;
import org.bouncycastle.tls.PSKTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsPSKIdentityManager;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * bctls' PSK client and server, configured for ivp2p: DTLS 1.2 only, our two suites in the settings'
 * order, a bounded handshake, RFC 9146 connection IDs, the extended master secret (RFC 7627)
 * required, and every alert and the handshake's completion reported to the association.
 */
final class PskPeers {

    /** What the peers report; called on the thread running bctls at that moment. */
    interface Hooks extends GuardedCipher.Guard {
        void alertRaised(short level, short description, String message, Throwable cause);

        void alertReceived(short level, short description);

        /** The handshake completed; {@code parameters} are the connection's. */
        void handshakeCompleted(SecurityParameters parameters);
    }

    private PskPeers() {
    }

    static final class Client extends PSKTlsClient {
        private final DtlsSettings settings;
        private final byte[] connectionId;
        private final Hooks hooks;

        Client(TlsCrypto crypto, byte[] identity, byte[] psk, DtlsSettings settings, byte[] connectionId,
                Hooks hooks) {
            super(crypto, new BasicTlsPSKIdentity(identity, psk)); // copies both
            this.settings = settings;
            this.connectionId = connectionId;
            this.hooks = hooks;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), settings.cipherSuites());
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return settings.handshakeTimeoutMillis();
        }

        @Override
        public int getHandshakeResendTimeMillis() {
            return settings.handshakeResendMillis();
        }

        /** RFC 9146 §3: the CID we ask the server to put in the records it sends us. */
        @Override
        protected byte[] getNewConnectionID() {
            return connectionId == null ? null : connectionId.clone();
        }

        @Override
        public boolean requiresExtendedMasterSecret() {
            return true;
        }

        @Override
        public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
            hooks.alertRaised(level, description, message, cause);
        }

        @Override
        public void notifyAlertReceived(short level, short description) {
            hooks.alertReceived(level, description);
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            hooks.handshakeCompleted(context.getSecurityParametersConnection());
        }
    }

    static final class Server extends PSKTlsServer {
        private final DtlsSettings settings;
        private final byte[] connectionId;
        private final Hooks hooks;

        Server(TlsCrypto crypto, TlsPSKIdentityManager keys, DtlsSettings settings, byte[] connectionId,
                Hooks hooks) {
            super(crypto, keys);
            this.settings = settings;
            this.connectionId = connectionId;
            this.hooks = hooks;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        /** PSKTlsServer's default list lacks 0xD001 (RFC 8442); bctls supports it when asked. */
        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), settings.cipherSuites());
        }

        /** The device (server) has the weaker CPU: its order decides, not the client's. */
        @Override
        protected boolean preferLocalCipherSuites() {
            return true;
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return settings.handshakeTimeoutMillis();
        }

        @Override
        public int getHandshakeResendTimeMillis() {
            return settings.handshakeResendMillis();
        }

        /** RFC 9146 §3: the CID we ask the client to put in the records it sends us. */
        @Override
        protected byte[] getNewConnectionID() {
            return connectionId == null ? null : connectionId.clone();
        }

        @Override
        public boolean requiresExtendedMasterSecret() {
            return true;
        }

        @Override
        public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
            hooks.alertRaised(level, description, message, cause);
        }

        @Override
        public void notifyAlertReceived(short level, short description) {
            hooks.alertReceived(level, description);
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            hooks.handshakeCompleted(context.getSecurityParametersConnection());
        }
    }
}
