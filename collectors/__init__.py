"""Collection: fetch raw outputs (live or offline), then parse them into facts."""
