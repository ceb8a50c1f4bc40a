import Parley

/// The cases run against a customer peer; the suite plays the company.
enum CustomerCases {
    static var all: [ConformanceCase] { [] }
}
