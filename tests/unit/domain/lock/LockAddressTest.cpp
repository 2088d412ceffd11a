#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/lock/LockAddress.h"

namespace lockhub::domain {
namespace {

TEST(LockAddress, UpperChangesOnlyAsciiLetters) {
    EXPECT_EQ(upper("dc:23:4d:0a:Bf:99"), "DC:23:4D:0A:BF:99");
    EXPECT_EQ(upper("front-door_2"), "FRONT-DOOR_2");
    EXPECT_EQ(upper(""), "");
    EXPECT_EQ(upper("\xc3\xa9t\xc3\xa9"), "\xc3\xa9T\xc3\xa9");  // UTF-8 bytes stay as they are
}

TEST(LockAddress, NormalizedMacAcceptsEitherCaseAndSpellsItUpper) {
    EXPECT_EQ(normalizedMac("DC:23:4D:12:34:56"), "DC:23:4D:12:34:56");
    EXPECT_EQ(normalizedMac("dc:23:4d:ab:cd:ef"), "DC:23:4D:AB:CD:EF");
    EXPECT_EQ(normalizedMac("dC:23:4d:aB:Cd:eF"), "DC:23:4D:AB:CD:EF");
}

TEST(LockAddress, NormalizedMacRefusesAnythingElse) {
    for (const std::string bad :
         {"", "DC:23:4D:12:34", "DC:23:4D:12:34:567", "DC-23-4D-12-34-56", "DC:23:4D:12:34:5G",
          "DC:23:4D:12:34:5", "DC:23:4D:12:345:6", " DC:23:4D:12:34:5", "DC:23:4D:12:34:56\n"}) {
        EXPECT_EQ(normalizedMac(bad), std::nullopt) << bad;
    }
}

TEST(LockAddress, TopicsAreShortLowerCaseWordsOtherThanBridge) {
    for (const std::string& good :
         std::vector<std::string>{"front-door", "a", "lock_2", std::string(64, 'x'), "bridge2"}) {
        EXPECT_TRUE(isTopic(good)) << good;
    }
    for (const std::string& bad :
         std::vector<std::string>{"", std::string(65, 'x'), "Front", "front door", "a/b", "a+", "#",
                                  "bridge", "t\xc3\xbcr"}) {
        EXPECT_FALSE(isTopic(bad)) << bad;
    }
}

}  // namespace
}  // namespace lockhub::domain
