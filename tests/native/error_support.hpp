// The code of the cs::Error a call throws; the test fails when it throws none.
#pragma once

#include "db/error.hpp"

#include <catch2/catch.hpp>

#include <functional>

inline cs::Code code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const cs::Error& e) {
    return e.code();
  }
  FAIL("expected a cs::Error");
  return cs::Code::Internal;
}
