"""output/: write the rendered site — stage the files, keep the manifest, swap the output folder
in atomically, index it for search, snapshot the inputs. Imports render/, site/, content/, text/
and the base modules; never commands/."""
