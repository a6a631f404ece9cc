from partnernet.cli import main

main()
