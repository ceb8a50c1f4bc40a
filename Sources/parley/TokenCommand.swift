enum TokenCommand { static func run(_ arguments: [String]) -> Int32 { 64 } }
