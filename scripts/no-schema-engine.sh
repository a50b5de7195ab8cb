#!/bin/sh
# Stands in for Prisma's native schema engine, which cannot be downloaded on these machines.
echo "native schema engine unavailable offline, use: node scripts/prisma.mjs migration NAME" >&2
exit 1
