package io.ivp2p.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Gives logback the engine's default (stderr, WARN) the moment it initialises, found through
 * {@code META-INF/services}, so that an integrator never needs a logback configuration file.
 *
 * <p>Without it logback would search the classpath for {@code logback.xml} and, finding none,
 * fall back to {@code BasicConfigurator}: DEBUG to stdout, which would flood an embedding C
 * program's stdout before {@code p2p_init} even sets the vendor's level. This configurator adds
 * no warnings to the status manager, so logback prints no status banner either.
 *
 * <p>Ranked below every custom configurator (unannotated ones get {@code DEFAULT}): an
 * integrator who ships their own configurator has it run first, and if it ends the chain, it wins.
 */
@ConfiguratorRank(ConfiguratorRank.NOMINAL)
public final class DefaultConfigurator extends ContextAwareBase implements Configurator {

    public DefaultConfigurator() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        LogSetup.installDefault(context);
        // Stops logback from going on to look for logback.xml or to add BasicConfigurator's appender.
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
