package io.mcrsrt.srt;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds libsrt and resolves its symbols. Loading happens on the first call to {@link #lookup()}, never in a static
 * initialiser, so a missing library is reported as one readable {@link UnsatisfiedLinkError} rather than an
 * {@code ExceptionInInitializerError}.
 */
final class NativeLibrary {

    /** Preferred first: the gnutls build costs about 40% less CPU per encrypted message than the openssl one. */
    static final String GNUTLS_SONAME = "libsrt-gnutls.so.1.5";

    static final String OPENSSL_SONAME = "libsrt.so.1.5";

    /** Environment variable naming an explicit libsrt path, tried after the two Debian sonames. */
    static final String PATH_VARIABLE = "SRT_LIBRARY";

    private static final Linker LINKER = Linker.nativeLinker();

    private static SymbolLookup lookup;
    private static String loadedFrom;
    private static UnsatisfiedLinkError failure;

    private NativeLibrary() {}

    /** The loaded libsrt, loading it on first use. */
    static synchronized SymbolLookup lookup() {
        if (lookup != null) {
            return lookup;
        }
        if (failure != null) {
            throw failure;
        }
        try {
            lookup = load();
            return lookup;
        } catch (UnsatisfiedLinkError e) {
            failure = e;
            throw e;
        }
    }

    /** The soname or path libsrt was loaded from. */
    static synchronized String loadedFrom() {
        lookup();
        return loadedFrom;
    }

    private static SymbolLookup load() {
        List<String> candidates = new ArrayList<>(List.of(GNUTLS_SONAME, OPENSSL_SONAME));
        String explicit = System.getenv(PATH_VARIABLE);
        if (explicit != null && !explicit.isBlank()) {
            candidates.add(explicit.strip());
        }
        for (String candidate : candidates) {
            SymbolLookup found;
            try {
                found = SymbolLookup.libraryLookup(candidate, Arena.global());
            } catch (IllegalArgumentException notThere) {
                continue;
            }
            checkVersion(found, candidate);
            loadedFrom = candidate;
            return found;
        }
        throw new UnsatisfiedLinkError("libsrt 1.5 is not installed (tried " + String.join(", ", candidates)
                + "): install the Debian package libsrt1.5-gnutls (apt-get install libsrt1.5-gnutls), or set "
                + PATH_VARIABLE + " to the full path of a libsrt 1.5 shared library.");
    }

    private static void checkVersion(SymbolLookup found, String candidate) {
        MethodHandle getVersion = LINKER.downcallHandle(
                symbol(found, "srt_getversion"), FunctionDescriptor.of(ValueLayout.JAVA_INT));
        int version;
        try {
            version = (int) getVersion.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (version >> 8 != 0x0105) {
            throw new UnsatisfiedLinkError(candidate + " is libsrt " + versionText(version)
                    + ", but version 1.5.x is required: install the Debian package libsrt1.5-gnutls, or set "
                    + PATH_VARIABLE + " to a libsrt 1.5 shared library.");
        }
    }

    static String versionText(int version) {
        return (version >> 16) + "." + ((version >> 8) & 0xff) + "." + (version & 0xff);
    }

    static MemorySegment symbol(SymbolLookup in, String name) {
        return in.find(name).orElseThrow(() -> new LinkageError(
                "libsrt has no function " + name + ": the installed libsrt is not a compatible 1.5.x build"));
    }

    /** A downcall handle for a libsrt function, failing with a {@link LinkageError} that names a missing function. */
    static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(symbol(lookup(), name), descriptor, options);
    }

    static Linker linker() {
        return LINKER;
    }
}
