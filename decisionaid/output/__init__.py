"""What leaves the tool as files, below everything that makes them: the PDF and the URL
fetcher that guards what WeasyPrint reads (pdf.py), the fonts installed for names
(fonts.py), the inputs a built file is made from (inputs.py), and atomic writes
(files.py). Nothing here knows of handouts, checks or the pipeline."""
