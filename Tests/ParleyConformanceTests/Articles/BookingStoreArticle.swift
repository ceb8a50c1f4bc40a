import Parley
import ParleyConformance
import Testing

// The code of the article "Testing a booking store"
// (Sources/ParleyConformance/ParleyConformance.docc/TestingABookingStore.md), compiled and run
// here; ArticleCodeTests (in ParleyTests) checks that the `// BEGIN DOCS` region stands in the
// article verbatim.

@Suite("Article: testing a booking store")
struct BookingStoreArticle {
    @Test("the article's contract run passes for InMemoryBookingStore")
    func contractRun() async {
        // BEGIN DOCS booking-store-contract
        let contract = BookingStoreContract(racers: 16) { fixture in
            // A store on a shared database: a fresh namespace per check, e.g. "\(runID)-\(fixture.check)",
            // created empty, then fixture.bookings added.
            InMemoryBookingStore(hours: fixture.hours, resources: fixture.resources, bookings: fixture.bookings)
        }
        let report = await contract.run()
        #expect(report.failed == 0, "\(report.text)")
        // END DOCS booking-store-contract
        #expect(report.passed == BookingStoreContract.checkNames.count)
    }
}
