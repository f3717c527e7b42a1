"""Domain core: loading, index, duplicates, alignment, entities, figures. Never imports Textual."""
