#!/bin/sh
# Stands in for Prisma's schema engine, which cannot be downloaded here (see prisma.config.ts).
echo "leadscore: the Prisma schema engine is not installed; the server applies prisma/migrations at start-up. Set PRISMA_SCHEMA_ENGINE_BINARY to a real engine to use 'prisma migrate'." >&2
exit 1
