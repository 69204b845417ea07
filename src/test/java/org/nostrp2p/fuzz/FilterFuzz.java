package org.nostrp2p.fuzz;

import org.nostrp2p.event.EventFormatException;
import org.nostrp2p.event.Filter;

/** The /req body: any bytes parse to a filter or fail with EventFormatException (a 400), nothing else. */
public final class FilterFuzz {
    private FilterFuzz() {}

    public static void fuzzerTestOneInput(byte[] body) {
        try {
            Filter.parse(body);
        } catch (EventFormatException refused) {
            // a 400
        }
    }
}
