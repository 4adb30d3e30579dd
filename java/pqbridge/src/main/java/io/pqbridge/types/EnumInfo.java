package io.pqbridge.types;

import java.util.List;
import java.util.Objects;

/**
 * An enum type and its labels, in the server's order (psycopg's {@code EnumInfo}), as
 * {@code TypeInfos.fetchEnum(conn, name)} reads them; {@link Enums#register} maps them to a Java
 * enum.
 *
 * @param type the type's name and OIDs
 * @param labels its labels, in their sort order
 */
public record EnumInfo(TypeInfo type, List<String> labels) {

    /**
     * @param type the type's name and OIDs
     * @param labels its labels, in their sort order
     */
    public EnumInfo {
        Objects.requireNonNull(type, "type");
        labels = List.copyOf(labels);
    }
}
