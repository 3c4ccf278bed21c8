from csintake.cli import main

main()
