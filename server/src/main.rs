//! `baton`: the board's command line, web server and dispatcher in one binary.

fn main() {
    server::main();
}
