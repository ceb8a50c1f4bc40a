/// Finds the free slots a company offers for an ask: the free start times nearest the preferred
/// time inside the asked windows, or — when there are none — the nearest outside them as a
/// counter-offer; and notices when the answer depends on which service is meant.
struct OfferPlanner: Sendable {
    let store: any BookingStore
    let policy: CompanyPolicy

    /// The outcome of planning.
    enum Plan: Sendable {
        /// Proposals inside the windows: each (service, start).
        case offer([(Service, Instant)])
        /// Alternatives outside the windows.
        case counterOffer([(Service, Instant)])
        /// Availability differs between these services: ask which one is meant.
        case askWhichService([Service])
        /// Nothing free near the ask.
        case nothing
    }

    func plan(candidates: [Service], windows: [TimeWindow], preferred: Instant?, session: SessionID, now: Instant) async -> Plan {
        guard let first = windows.first, let earliest = windows.map(\.start).min(), let latest = windows.map(\.end).max() else {
            return .nothing
        }
        var inside: [String: [Instant]] = [:]
        for service in candidates {
            inside[service.id] = await freeStarts(for: service, in: windows, session: session, now: now)
        }
        let target = preferred ?? first.start
        if candidates.count > 1 {
            let sets = Set(candidates.map { inside[$0.id] ?? [] })
            if sets.count > 1 {
                return .askWhichService(
                    candidates.filter { !(inside[$0.id] ?? []).isEmpty } + candidates.filter { (inside[$0.id] ?? []).isEmpty })
            }
        }
        let found = nearest(candidates.flatMap { service in (inside[service.id] ?? []).map { (service, $0) } }, to: target)
        if !found.isEmpty { return .offer(found) }
        // Nothing inside: look around the ask for the nearest start free for every candidate.
        let horizon = Int64(policy.searchHorizonMinutes) * 60
        let lower = earliest.adding(seconds: -horizon)
        let upper = latest.adding(seconds: horizon)
        var common: [Instant]? = nil
        for service in candidates {
            let starts = Set(
                await freeStarts(for: service, in: [TimeWindow(start: max(lower, now), end: upper)], session: session, now: now))
            common = common.map { $0.filter(starts.contains) } ?? starts.sorted()
        }
        guard let nearestStart = nearest((common ?? []).map { ((), $0) }, to: target).first?.1 else { return .nothing }
        return .counterOffer(candidates.map { ($0, nearestStart) })
    }

    /// Free start times on the grid inside `windows`, for `service`'s duration: one question to
    /// the store per window (``BookingStore/freeSlots(_:service:ignoring:now:)``).
    func freeStarts(for service: Service, in windows: [TimeWindow], session: SessionID, now: Instant) async -> [Instant] {
        let step = Int64(policy.slotStepMinutes) * 60
        var starts: [Instant] = []
        for window in windows {
            var seconds = (window.start.secondsSinceEpoch + step - 1) / step * step
            var slots: [Slot] = []
            while seconds <= window.end.secondsSinceEpoch, slots.count < 2000 {
                let start = Instant(secondsSinceEpoch: seconds)
                if start > now { slots.append(Slot(start: start, end: start.adding(minutes: service.durationMinutes))) }
                seconds += step
            }
            guard !slots.isEmpty else { continue }
            let free = await store.freeSlots(slots, service: service.id, ignoring: session, now: now)
            for (slot, isFree) in zip(slots, free) where isFree { starts.append(slot.start) }
        }
        return starts
    }

    /// The `proposalsPerOffer` items nearest `target`, earlier first on ties.
    func nearest<T>(_ items: [(T, Instant)], to target: Instant) -> [(T, Instant)] {
        let sorted = items.sorted { lhs, rhs in
            let left = abs(lhs.1.seconds(to: target)), right = abs(rhs.1.seconds(to: target))
            return left != right ? left < right : lhs.1 < rhs.1
        }
        return Array(sorted.prefix(policy.proposalsPerOffer))
    }
}
