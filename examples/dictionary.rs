//! Prints the data dictionary (every column of every CSV) as Markdown, from the same schema
//! that writes `datapackage.json`. `make dictionary` puts it into README.md.

fn main() {
    print!("{}", jixiao::write::schema::dictionary_markdown());
}
