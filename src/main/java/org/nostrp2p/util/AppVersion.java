package org.nostrp2p.util;

/** This program's version, from the jar's manifest (set by the build); "development build" when run from classes. */
public final class AppVersion {
    private AppVersion() {}

    public static String current() {
        String v = AppVersion.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }
}
