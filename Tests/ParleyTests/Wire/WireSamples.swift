/// Valid JSON texts shaped like Parley envelopes (about 400 bytes), for round trips, fuzzing and timing.
enum WireSamples {
    static let offer = #"""
        {"v":1,"id":"msg_01HZY3K9Q7","seq":7,"session":"ses_7f3a9c","from":"company:acme-dental","to":"customer:alice",
         "type":"offer","sentAt":"2025-03-14T09:26:53Z","inReplyTo":"msg_01HZY3K8AA",
         "body":{"proposals":[{"id":"p1","start":"2025-03-18T10:00:00+01:00","durationMinutes":45,
           "price":{"amount":12000,"currency":"EUR"},"expires":"2025-03-14T10:00:00Z","needs":["name","phone"]},
          {"id":"p2","start":"2025-03-19T15:30:00+01:00","durationMinutes":45,"price":{"amount":-0,"currency":"EUR"},
           "expires":"2025-03-14T10:00:00Z","needs":[]}],"note":"Dr. Müller \u2014 \"checkup\"\n","ratio":0.25}}
        """#

    static let request = #"""
        {"v":1,"id":"msg_01HZY3K8AA","seq":6,"session":"ses_7f3a9c","from":"customer:alice","to":"company:acme-dental",
         "type":"request","sentAt":"2025-03-14T09:26:50Z","body":{"service":"dental.checkup",
         "windows":[{"from":"2025-03-18T08:00:00+01:00","to":"2025-03-21T18:00:00+01:00"}],"budget":{"max":15000,"currency":"EUR"},
         "flexible":true,"preferences":{"language":"de","emoji":"\ud83d\ude00 ok","tags":["a","b","c"],"weights":[1,2.5,-3e-7,1e21]}}}
        """#

    static let error =
        #"{"v":1,"id":"msg_x","seq":1,"type":"error","body":{"code":"malformed-json","retryable":false,"message":"byte 3: \u0000?"}}"#

    static let small: [String] = [
        "{}", "[]", "0", "-0", "\"\"", "true", "false", "null", "[1,[2,[3,[4]]]]", #"{"a":{"b":{"c":[true,false,null]}}}"#,
        #"{"€":1,"😂":2,"\uE000":3,"a\nb":"\t\u001f"}"#,
    ]

    static var all: [String] { [offer, request, error] + small }
    static var corpus: [[UInt8]] { all.map { Array($0.utf8) } }
}
