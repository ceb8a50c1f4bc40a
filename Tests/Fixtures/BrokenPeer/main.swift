// Filled in by the next commit.
print("parley-broken-peer")
