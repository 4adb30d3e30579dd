package io.pqbridge.types;

import java.util.List;
import java.util.Objects;

/**
 * A composite type and its fields (psycopg's {@code CompositeInfo}), as
 * {@code TypeInfos.fetchComposite(conn, name)} reads them.
 *
 * @param type the type's name and OIDs
 * @param fieldNames the fields' names, in order
 * @param fieldOids the fields' type OIDs, in the same order
 */
public record CompositeInfo(TypeInfo type, List<String> fieldNames, List<Integer> fieldOids) {

    /**
     * @param type the type's name and OIDs
     * @param fieldNames the fields' names, in order
     * @param fieldOids the fields' type OIDs, as many as names
     */
    public CompositeInfo {
        Objects.requireNonNull(type, "type");
        fieldNames = List.copyOf(fieldNames);
        fieldOids = List.copyOf(fieldOids);
        if (fieldNames.size() != fieldOids.size()) {
            throw new IllegalArgumentException("a composite type has as many field types as field names: "
                    + fieldNames + ", " + fieldOids);
        }
    }
}
