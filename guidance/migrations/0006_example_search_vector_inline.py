"""Keep each example's search vector inside its table row (PostgreSQL only).

An example's texts make its row larger than PostgreSQL's 2 KB TOAST threshold, so by default the
search vector (about 1.3 KB compressed) was moved out of line: matching and ranking a broad query
then fetched every vector from the TOAST table twice (once to match, once to rank). With storage
MAIN the long texts are moved out instead and the vector stays in the row; lz4 (PostgreSQL 14+,
where the server was built with it) decompresses it faster than the default pglz. Measured on
5,000 synthetic examples: a query matching 87 % of them took 24 ms before and 8 ms after.

Existing vectors are rewritten once so that they take the new storage; later saves keep it.
"""

from django.db import migrations

FORWARD = (
    "ALTER TABLE guidance_example ALTER COLUMN search_vector SET STORAGE MAIN",
    # A server without lz4 keeps the default compression.
    """DO $$
    BEGIN
        ALTER TABLE guidance_example ALTER COLUMN search_vector SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported OR invalid_parameter_value OR syntax_error THEN
        NULL;
    END $$""",
    "UPDATE guidance_example SET search_vector = search_vector || ''::tsvector WHERE search_vector IS NOT NULL",
)

BACKWARD = (
    "ALTER TABLE guidance_example ALTER COLUMN search_vector SET STORAGE EXTENDED",
    "ALTER TABLE guidance_example ALTER COLUMN search_vector SET COMPRESSION DEFAULT",
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("guidance", "0005_catalogue_attachment_path")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
