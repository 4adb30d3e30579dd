package io.pqbridge.types;

import java.util.Objects;

/**
 * A PostgreSQL type's name and OIDs (psycopg's {@code TypeInfo}): what pqbridge needs to read and
 * write a type it does not know by itself, such as an extension's ({@code hstore}) or one the
 * database defined (an enum, a composite). Fetch it with {@code TypeInfos.fetch(conn, name)} and
 * add it to an {@link AdaptersMap}.
 *
 * @param name the type's name, as {@code pg_type.typname} has it
 * @param oid its OID
 * @param arrayOid the OID of its array type, 0 when it has none
 */
public record TypeInfo(String name, int oid, int arrayOid) {

    /**
     * @param name the type's name
     * @param oid its OID, positive
     * @param arrayOid its array type's OID, 0 when none
     */
    public TypeInfo {
        Objects.requireNonNull(name, "name");
        if (oid <= 0 || arrayOid < 0) {
            throw new IllegalArgumentException("a type's OID is positive (and its array's 0 or positive): " + oid
                    + ", " + arrayOid);
        }
    }
}
