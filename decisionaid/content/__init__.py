"""Content in: reading a content root's YAML (load), its contract (models), the rules
across fields (validate) and the glossary. Nothing here renders or writes."""
