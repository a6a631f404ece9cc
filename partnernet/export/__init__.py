"""The downloads as bytes: tables as CSV and JSON (:mod:`.tables`), the graph as GEXF, GraphML and JSON
(:mod:`.graphxml`). Nothing here renders HTML; one rounding rule (:func:`.tables.rounded`) serves all."""
