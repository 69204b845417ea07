package org.nostrp2p.cli;

import org.nostrp2p.event.Nip19;
import org.nostrp2p.util.HostPort;
import picocli.CommandLine;

/** picocli converters: a bad value becomes a one-line "Invalid value for option …" error. */
final class Converters {
    private Converters() {}

    static final class HostPortConverter implements CommandLine.ITypeConverter<HostPort> {
        @Override
        public HostPort convert(String value) {
            try {
                return HostPort.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** npub1… or 64 hex characters, to lowercase hex. */
    static final class PublicKeyConverter implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return Nip19.toHex(Nip19.NPUB, value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
