"""Search: a question to an answer (searcher, fusion, conversation, abstention, the stitched answer, the naive baseline, side work on the idle core)."""
