#include <gtest/gtest.h>

#include "ctl/Table.h"

namespace lockhub::ctl {
namespace {

TEST(CtlTable, AlignsColumnsByCharactersWithoutTrailingSpaces) {
    Table table({"ID", "NAME", "NOTE"});
    table.add({"1", "Zoë", ""});
    table.add({"12", "Al", "x"});
    EXPECT_EQ(table.text(),
              "ID  NAME  NOTE\n"
              "1   Zoë\n"
              "12  Al    x\n");
    EXPECT_EQ(displayWidth("Zoë"), 3u);
}

TEST(CtlTable, AShortRowIsPaddedWithEmptyCells) {
    Table table({"A", "B"});
    table.add({"only"});
    EXPECT_EQ(table.text(), "A     B\nonly\n");
    EXPECT_EQ(table.csv(), "A,B\r\nonly,\r\n");
}

TEST(CtlTable, CsvQuotesWhatRfc4180Requires) {
    Table table({"NAME", "NOTE"});
    table.add({"Smith, Ann", "said \"hi\""});
    table.add({"plain", "two\nlines"});
    EXPECT_EQ(table.csv(),
              "NAME,NOTE\r\n"
              "\"Smith, Ann\",\"said \"\"hi\"\"\"\r\n"
              "plain,\"two\nlines\"\r\n");
}

TEST(CtlTable, AnEmptyTableIsItsHeader) {
    Table table({"LOCK", "NAME"});
    EXPECT_TRUE(table.empty());
    EXPECT_EQ(table.text(), "LOCK  NAME\n");
}

}  // namespace
}  // namespace lockhub::ctl
