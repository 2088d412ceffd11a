#include <gtest/gtest.h>

#include <sstream>

#include "domain/Secret.h"

namespace lockhub {
namespace {

TEST(Secret, StreamsAsMaskNeverAsContent) {
    SecretString pin("428613");
    std::ostringstream out;
    out << "pin=" << pin;
    EXPECT_EQ(out.str(), "pin=***");
    EXPECT_EQ(out.str().find("428613"), std::string::npos);
    EXPECT_EQ(pin.reveal(), "428613");
}

TEST(Secret, ConstantTimeEqualsComparesContentAndLength) {
    EXPECT_TRUE(constantTimeEquals(std::string("12345678"), std::string("12345678")));
    EXPECT_FALSE(constantTimeEquals(std::string("12345678"), std::string("12345679")));
    EXPECT_FALSE(constantTimeEquals(std::string("1234567"), std::string("12345678")));
    EXPECT_TRUE(constantTimeEquals(std::string(), std::string()));
}

}  // namespace
}  // namespace lockhub
