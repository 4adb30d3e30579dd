package io.pqbridge.pq.natives;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import org.bytedeco.javacpp.Loader;

/**
 * Loads {@code libjniPqShim.so}, the JNI library JavaCPP built for {@link PqShim}, from beside the
 * class: {@code <platform>/libjniPqShim.so} in the class directory or the jar, {@code <platform>}
 * being JavaCPP's name for this machine ({@code linux-x86_64}, {@code linux-arm64}).
 *
 * <p>A file is loaded where it is; a jar entry is first extracted into JavaCPP's cache directory
 * ({@code ~/.javacpp/cache}, one copy per jar name and entry, replaced when its size or time
 * changes) by JavaCPP's own {@link Loader#cacheResource}, since a shared library must be a file to
 * be mapped. The library's {@code libpq.so.5} is found by the system's dynamic linker, as for any
 * program linked against it.
 *
 * <p>Why not {@code Loader.load()}: that general-purpose loader looks for every library a class
 * names on the class path and in the system paths, reads the class's platform annotations through
 * reflection proxies, and sets up logging: together more start-up time than a 10,000-row COPY
 * takes. The JNI library's own initialisation ({@code JNI_OnLoad}) still registers with JavaCPP's
 * {@code Loader} class as usual; nothing else of JavaCPP is needed by this binding, which passes
 * only primitives, byte arrays and buffers.
 */
final class JniLibrary {

    private static final String NAME = "jniPqShim";

    private JniLibrary() {
    }

    /** Loads the library; an {@link UnsatisfiedLinkError} says which file was missing or refused and why. */
    static void load() {
        String platform = Loader.getPlatform();
        String resource = platform + "/" + System.mapLibraryName(NAME);
        URL url = PqShim.class.getResource(resource);
        if (url == null) {
            throw new UnsatisfiedLinkError("this pqbridge build has no JNI library for " + platform + " ("
                    + PqShim.class.getPackageName().replace('.', '/') + "/" + resource + " is not on the class path);"
                    + " use the java backend, or build pqbridge on this platform");
        }
        File file;
        try {
            file = url.getProtocol().equals("file") ? new File(url.toURI()) : Loader.cacheResource(url);
        } catch (IOException | URISyntaxException e) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("cannot extract " + url + " into JavaCPP's cache"
                    + " directory (set the system property org.bytedeco.javacpp.cachedir to a writable directory): "
                    + e.getMessage());
            error.initCause(e);
            throw error;
        }
        if (file == null) {
            throw new UnsatisfiedLinkError("cannot extract " + url + " into JavaCPP's cache directory");
        }
        System.load(file.getAbsolutePath());
    }
}
