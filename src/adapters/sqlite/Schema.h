// lockhub's database schema as the ordered list of its migrations (docs/storage.md explains
// each table). Append a migration to change the schema; never edit one that has shipped,
// because databases in the field are already at its version.
#pragma once

#include <span>

#include "adapters/sqlite/Migration.h"

namespace lockhub::adapters::sqlite {

std::span<const Migration> schemaMigrations();

}  // namespace lockhub::adapters::sqlite
