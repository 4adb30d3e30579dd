package io.pqbridge.pq.natives;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarEntry;
import org.bytedeco.javacpp.Loader;

/**
 * Loads {@code libjniPqShim.so}, the JNI library JavaCPP built for {@link PqShim}, from beside the
 * class: {@code <platform>/libjniPqShim.so} in the class directory or the jar, {@code <platform>}
 * being JavaCPP's name for this machine ({@code linux-x86_64}, {@code linux-arm64}).
 *
 * <p>A file is loaded where it is. A jar entry must first become a file to be mapped: it is
 * extracted into {@code pqbridge/<crc>-<size>/} under JavaCPP's cache directory
 * ({@code ~/.javacpp/cache} unless {@code org.bytedeco.javacpp.cachedir} says otherwise), named by
 * the entry's CRC-32 and size from the jar's directory, so that a changed library gets a new
 * directory and an unchanged one is found without reading it. The copy is written under a
 * temporary name and renamed into place, so a concurrent process sees either no file or a whole one.
 * The library's {@code libpq.so.5} is found by the system's dynamic linker, as for any program
 * linked against it, unless the system property {@code pqbridge.libpq} (else the environment
 * variable {@code PQBRIDGE_LIBPQ}) names another libpq: a file, or a directory holding
 * {@code libpq.so.5}. That file is loaded first; its soname is {@code libpq.so.5}, so the dynamic
 * linker then binds the JNI library to it rather than search for the system's. The choice is made
 * once per process, when the native backend first loads: a process that must use two libpq
 * versions runs one per JVM. The libraries the chosen libpq needs (OpenSSL, ...) are found through
 * its own RUNPATH, else the usual search path ({@code LD_LIBRARY_PATH} as the JVM started).
 *
 * <p>Why not {@code Loader.load()}: that general-purpose loader looks for every library a class
 * names on the class path and in the system paths and reads the class's platform annotations
 * through reflection proxies: more start-up time than a 10,000-row COPY takes. The JNI library's
 * own initialisation ({@code JNI_OnLoad}) still registers with JavaCPP's {@code Loader} class as
 * usual; this binding passes only primitives, byte arrays and buffers, and needs nothing else of
 * JavaCPP's runtime.
 */
final class JniLibrary {

    private static final String NAME = "jniPqShim";

    private JniLibrary() {
    }

    /** Loads the library; an {@link UnsatisfiedLinkError} says which file was missing or refused and why. */
    static void load() {
        String platform = Loader.getPlatform();
        String fileName = System.mapLibraryName(NAME);
        URL url = PqShim.class.getResource(platform + "/" + fileName);
        if (url == null) {
            throw new UnsatisfiedLinkError("this pqbridge build has no JNI library for " + platform + " ("
                    + PqShim.class.getPackageName().replace('.', '/') + "/" + platform + "/" + fileName
                    + " is not on the class path); use the java backend, or build pqbridge on this platform");
        }
        Path file;
        try {
            file = url.getProtocol().equals("file") ? Path.of(url.toURI()) : extract(url, fileName);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("cannot make a file of " + url + " to load it: "
                    + e.getMessage() + " (the system property org.bytedeco.javacpp.cachedir names a writable"
                    + " directory to use instead)");
            error.initCause(e);
            throw error;
        }
        loadChosenLibpq();
        System.load(file.toAbsolutePath().toString());
    }

    /** Loads the libpq that {@code pqbridge.libpq} / {@code PQBRIDGE_LIBPQ} names, if either is set. */
    private static void loadChosenLibpq() {
        String property = System.getProperty("pqbridge.libpq");
        String source = "the system property pqbridge.libpq";
        if (property == null || property.isBlank()) {
            property = System.getenv("PQBRIDGE_LIBPQ");
            source = "the environment variable PQBRIDGE_LIBPQ";
        }
        if (property == null || property.isBlank()) {
            return;
        }
        Path named = Path.of(property);
        Path libpq = Files.isDirectory(named) ? named.resolve("libpq.so.5") : named;
        if (!Files.isRegularFile(libpq)) {
            throw new UnsatisfiedLinkError(source + " names " + property + ", but " + libpq
                    + " is not a file; name a libpq shared library (libpq.so.5 or libpq.so.5.<minor>) or the"
                    + " directory holding libpq.so.5, or unset it to use the system's libpq");
        }
        try {
            System.load(libpq.toAbsolutePath().toString());
        } catch (UnsatisfiedLinkError e) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("cannot load the libpq " + source + " names ("
                    + libpq + "): " + e.getMessage() + " (the libraries it needs must be in its RUNPATH or on"
                    + " LD_LIBRARY_PATH when the JVM starts)");
            error.initCause(e);
            throw error;
        }
    }

    /** The jar entry as a file in the cache, extracted unless a copy with its CRC and size is there. */
    private static Path extract(URL url, String fileName) throws IOException {
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection jar)) {
            throw new IOException("a JNI library is loaded from a file or a jar, not from a " + url.getProtocol()
                    + " URL");
        }
        JarEntry entry = jar.getJarEntry();
        Path directory = Loader.getCacheDir().toPath().resolve("pqbridge")
                .resolve(Long.toHexString(entry.getCrc()) + "-" + entry.getSize());
        Path file = directory.resolve(fileName);
        if (Files.isRegularFile(file) && Files.size(file) == entry.getSize()) {
            return file;
        }
        Files.createDirectories(directory);
        Path partial = Files.createTempFile(directory, fileName, ".partial");
        try {
            try (InputStream in = jar.getInputStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return file;
    }
}
