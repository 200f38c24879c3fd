package io.ivp2p.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Run in a fresh JVM by {@link DefaultConfiguratorTest}: the first logging call initialises logback. */
public final class QuietStartProbe {

    private QuietStartProbe() {
    }

    public static void main(String[] args) {
        Logger log = LoggerFactory.getLogger("io.ivp2p.probe");
        log.info("hidden info");
        log.warn("visible warn");
    }
}
