"""Search: a question to an answer (searcher, fusion, conversation, abstention, the stitched answer, the naive baseline)."""
