package enum ParleyCryptoPlaceholder {}
